package io.jmmdit.cli;

import java.time.temporal.ChronoUnit;

import io.jmmdit.inversion.ProgressListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A terminal progress bar (steps, rate, ETA) on stderr for a {@link ProgressListener}; close it when the run ends. */
final class Progress implements ProgressListener, AutoCloseable {

    private final ProgressBar bar;

    Progress(String task, int total) {
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200).setMaxRenderedLength(100).showSpeed().setSpeedUnit(ChronoUnit.SECONDS).setUnit(" steps", 1)
                .build();
    }

    @Override
    public void onProgress(int done, int total) {
        bar.maxHint(total);
        bar.stepTo(done);
    }

    @Override
    public void close() {
        bar.close();
    }
}
