package io.jmmdit.model.text.tokenizer;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The tokenizer goldens copied into test resources (see {@code golden/tokenizers/README.md}): {@code clip/} and
 * {@code t5/} are FLUX's {@code tokenizer} and {@code tokenizer_2} folders, {@code cases.json} the reference ids.
 */
final class GoldenCases {

    private static JsonNode cases;

    private GoldenCases() {
    }

    static Path resource(String path) {
        URL u = GoldenCases.class.getResource("/golden/tokenizers/" + path);
        assertNotNull(u, "test resource golden/tokenizers/" + path + " is missing");
        try {
            return Path.of(u.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path clipFolder() {
        return resource("clip");
    }

    static Path t5Folder() {
        return resource("t5");
    }

    static synchronized List<JsonNode> cases() {
        if (cases == null) {
            try {
                cases = new ObjectMapper().readTree(resource("cases.json").toFile()).get("cases");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<JsonNode> out = new ArrayList<>();
        cases.forEach(out::add);
        return out;
    }

    static int[] ints(JsonNode array) {
        return IntStream.range(0, array.size()).map(i -> array.get(i).asInt()).toArray();
    }

    static String name(JsonNode c) {
        return "case " + c.get("index").asInt() + " (" + c.get("category").asText() + ")";
    }
}
