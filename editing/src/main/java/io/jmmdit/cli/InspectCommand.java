package io.jmmdit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jmmdit.weights.Checkpoints;
import io.jmmdit.weights.DType;
import io.jmmdit.weights.DiffusersFolder;
import io.jmmdit.weights.SafeTensorsFile;
import io.jmmdit.weights.ShardedCheckpoint;
import io.jmmdit.weights.TensorInfo;
import io.jmmdit.weights.WeightSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jmmdit inspect PATH [--json]}: tensors, metadata, parameter count and bytes per dtype of a checkpoint. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Lists every tensor (name, dtype, shape), the metadata, and the parameter count and bytes per dtype of",
            "a safetensors file, a sharded *.safetensors.index.json, or a diffusers folder (component or pipeline).",
            "The whole header is validated; a malformed file is reported on one line with a non-zero exit code."})
public final class InspectCommand extends JmmditCommand {

    @Parameters(paramLabel = "PATH", description = "safetensors file, *.safetensors.index.json, or diffusers folder")
    Path path;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected int execute() throws Exception {
        try (WeightSource w = Checkpoints.open(path)) {
            List<TensorInfo> infos = new ArrayList<>();
            for (String n : w.names()) {
                infos.add(w.info(n));
            }
            Map<DType, long[]> perDtype = new EnumMap<>(DType.class); // {parameters, bytes}
            long params = 0;
            long bytes = 0;
            for (TensorInfo i : infos) {
                long[] acc = perDtype.computeIfAbsent(i.dtype(), d -> new long[2]);
                acc[0] += i.elements();
                acc[1] += i.byteLength();
                params += i.elements();
                bytes += i.byteLength();
            }
            if (json) {
                printJson(w, infos, perDtype, params, bytes);
            } else {
                printText(w, infos, perDtype, params, bytes);
            }
        }
        return 0;
    }

    private static String kind(WeightSource w) {
        if (w instanceof DiffusersFolder d) {
            return "diffusers pipeline" + (d.pipelineClass().isEmpty() ? "" : " " + d.pipelineClass());
        }
        if (w instanceof ShardedCheckpoint s) {
            return "sharded safetensors (" + s.shards().size() + " shards)";
        }
        return "safetensors";
    }

    private static Map<String, Object> details(WeightSource w) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (w instanceof DiffusersFolder d) {
            m.put("components", d.componentClasses());
            m.put("weight_components", List.copyOf(d.weightComponents()));
        } else if (w instanceof ShardedCheckpoint s) {
            m.put("shards", s.shards().stream().map(f -> f.path().getFileName().toString()).toList());
        } else if (w instanceof SafeTensorsFile f && f.unusedBytes() > 0) {
            m.put("unused_bytes", f.unusedBytes());
        }
        return m;
    }

    private void printText(WeightSource w, List<TensorInfo> infos, Map<DType, long[]> perDtype, long params, long bytes) {
        var out = out();
        out.printf("%s: %s, %d tensors, %,d parameters, %,d bytes%n", w.describe(), kind(w), infos.size(), params, bytes);
        details(w).forEach((k, v) -> out.printf("%s: %s%n", k.replace('_', ' '), v));
        if (w instanceof SafeTensorsFile f && f.unusedBytes() > 0) {
            out.printf("warning: %,d bytes of the data section belong to no tensor (gaps or trailing bytes)%n", f.unusedBytes());
        }
        if (!w.metadata().isEmpty()) {
            out.println("metadata:");
            w.metadata().forEach((k, v) -> out.printf("  %s: %s%n", Jmmdit.oneLine(k), Jmmdit.oneLine(v)));
        }
        int width = 0;
        for (TensorInfo i : infos) {
            width = Math.max(width, Math.min(80, i.name().length()));
        }
        out.println("tensors:");
        for (TensorInfo i : infos) {
            out.printf("  %-" + Math.max(1, width) + "s  %-7s %s%n", Jmmdit.oneLine(i.name()), i.dtype(), i.shapeString());
        }
        out.println("by dtype:");
        perDtype.forEach((d, a) -> out.printf("  %-7s %,d parameters, %,d bytes%n", d, a[0], a[1]));
        out.printf("total: %,d parameters, %,d bytes%n", params, bytes);
    }

    private void printJson(WeightSource w, List<TensorInfo> infos, Map<DType, long[]> perDtype, long params, long bytes)
            throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("path", w.describe());
        root.put("kind", kind(w));
        details(w).forEach((k, v) -> root.set(k, JSON.valueToTree(v)));
        root.put("tensor_count", infos.size());
        root.put("parameters", params);
        root.put("bytes", bytes);
        ObjectNode dt = root.putObject("dtypes");
        perDtype.forEach((d, a) -> dt.putObject(d.name()).put("parameters", a[0]).put("bytes", a[1]));
        root.set("metadata", JSON.valueToTree(w.metadata()));
        ArrayNode ts = root.putArray("tensors");
        for (TensorInfo i : infos) {
            ObjectNode t = ts.addObject();
            t.put("name", i.name());
            t.put("dtype", i.dtype().name());
            ArrayNode shape = t.putArray("shape");
            for (long s : i.shape()) {
                shape.add(s);
            }
        }
        out().println(JSON.writeValueAsString(root));
    }
}
