package io.jmmdit.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base class of {@code jmmdit} subcommands: implement {@link #execute()}; any exception it throws is reported as one line
 * {@code jmmdit: <message>} on stderr (with the stack trace under {@code --verbose}) and exit code
 * {@link Jmmdit#EXIT_FAILURE}. Write normal output to {@link #out()}, diagnostics to {@link #err()}.
 */
public abstract class JmmditCommand implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    /** Runs the command; returns the exit code (0 on success). */
    protected abstract int execute() throws Exception;

    @Override
    public final Integer call() {
        try {
            return execute();
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            Jmmdit.reportError(err(), e, verbose());
            return Jmmdit.EXIT_FAILURE;
        } finally {
            out().flush();
        }
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** True if {@code --verbose} was given, before or after the subcommand name. */
    protected boolean verbose() {
        if (spec.root().commandLine().getParseResult() != null && Jmmdit.isVerbose(spec.root().commandLine().getParseResult())) {
            return true;
        }
        return spec.root().userObject() instanceof Jmmdit j && j.verbose;
    }
}
