package io.jmmdit.editing.flux;

import java.util.ArrayList;
import java.util.List;

import io.jmmdit.model.flux.FluxConfig;

/**
 * Which FLUX blocks get value injection: {@code single} (the default, as FLUX ports of FTEdit do), {@code double},
 * {@code all}, or a list such as {@code single:0-3,double:1} (block indices, ranges inclusive).
 */
public record InjectBlocks(List<Integer> doubles, List<Integer> singles) {

    public static final String DEFAULT = "single";

    public static InjectBlocks parse(String spec, FluxConfig config) {
        List<Integer> d = new ArrayList<>();
        List<Integer> s = new ArrayList<>();
        String text = spec == null || spec.isBlank() ? DEFAULT : spec.trim();
        for (String part : text.split(",")) {
            String p = part.trim();
            String[] kv = p.split(":", 2);
            boolean single = kv[0].equals("single");
            if (kv[0].equals("all") && kv.length == 1) {
                addRange(d, 0, config.numLayers() - 1);
                addRange(s, 0, config.numSingleLayers() - 1);
                continue;
            }
            if (!single && !kv[0].equals("double")) {
                throw new IllegalArgumentException("--inject-blocks '" + spec + "': '" + p + "' is not single, double, all, single:I-J or double:I-J");
            }
            int max = single ? config.numSingleLayers() - 1 : config.numLayers() - 1;
            List<Integer> into = single ? s : d;
            if (kv.length == 1) {
                addRange(into, 0, max);
                continue;
            }
            for (String r : kv[1].split("\\+")) {
                String[] ab = r.split("-", 2);
                try {
                    int a = Integer.parseInt(ab[0].trim());
                    int b = ab.length == 2 ? Integer.parseInt(ab[1].trim()) : a;
                    if (a < 0 || b > max || a > b) {
                        throw new IllegalArgumentException("--inject-blocks '" + spec + "': " + kv[0] + " blocks " + r
                                + " outside 0-" + max + " (the model has " + (max + 1) + ")");
                    }
                    addRange(into, a, b);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--inject-blocks '" + spec + "': '" + r + "' is not an index or range", e);
                }
            }
        }
        return new InjectBlocks(List.copyOf(d), List.copyOf(s));
    }

    private static void addRange(List<Integer> into, int a, int b) {
        for (int i = a; i <= b; i++) {
            if (!into.contains(i)) {
                into.add(i);
            }
        }
    }

    /** The regex over hook points: the {@code attn.value} of every selected block. */
    public String regex() {
        List<String> alts = new ArrayList<>();
        doubles.forEach(i -> alts.add("transformer_blocks\\." + i + "\\.attn\\.value"));
        singles.forEach(i -> alts.add("single_transformer_blocks\\." + i + "\\.attn\\.value"));
        return alts.isEmpty() ? "(?!)" : String.join("|", alts);
    }
}
