package io.jmmdit.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jmmdit.model.text.tokenizer.Encoding;
import io.jmmdit.model.text.tokenizer.PromptTokenizer;
import io.jmmdit.model.text.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jmmdit tokenize}: the ids and tokens a pipeline's tokenizer gives a prompt. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = {"Tokenizes a prompt as the pipeline does (special tokens added, truncated and padded to the maximum",
            "length) and prints one line per position: position, id, token and the UTF-16 span [start,end) of the prompt",
            "it came from ([-1,-1) for special and pad tokens); --json prints {\"ids\": [...], \"tokens\": [...]} instead.",
            "--model is a diffusers pipeline folder (--tokenizer picks its subfolder) or a tokenizer folder."})
public final class TokenizeCommand extends JmmditCommand {

    @Option(names = "--model", required = true, description = "diffusers pipeline folder or tokenizer folder.")
    Path model;

    @Option(names = "--tokenizer", defaultValue = "tokenizer",
            description = "Subfolder of a pipeline folder: tokenizer (CLIP) or tokenizer_2 (T5) (default: ${DEFAULT-VALUE}).")
    String tokenizer;

    @Option(names = "--max-length", description = "Positions to pad or truncate to (default: the tokenizer's, 77 for CLIP, 512 for T5).")
    Integer maxLength;

    @Option(names = "--json", description = "Print one JSON object {\"ids\": [...], \"tokens\": [...]}.")
    boolean json;

    @Parameters(paramLabel = "PROMPT", description = "The prompt.")
    String prompt;

    @Override
    protected int execute() throws Exception {
        if (maxLength != null && maxLength < 1) {
            throw new IllegalArgumentException("--max-length must be >= 1, got " + maxLength);
        }
        if (!tokenizer.matches("tokenizer(_[0-9]+)?")) {
            throw new IllegalArgumentException("--tokenizer " + tokenizer + ": expected tokenizer, tokenizer_2, …");
        }
        PromptTokenizer tok = Tokenizers.load(folder());
        Encoding e = tok.encode(prompt, maxLength != null ? maxLength : tok.defaultMaxLength());
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode o = m.createObjectNode();
            ArrayNode ids = o.putArray("ids");
            ArrayNode tokens = o.putArray("tokens");
            for (int p = 0; p < e.ids().length; p++) {
                ids.add(e.ids()[p]);
                tokens.add(e.tokens()[p]);
            }
            out().println(m.writeValueAsString(o));
        } else {
            for (int p = 0; p < e.ids().length; p++) {
                out().printf("%d %d %s [%d,%d)%n", p, e.ids()[p], e.tokens()[p], e.starts()[p], e.ends()[p]);
            }
        }
        return 0;
    }

    /** The tokenizer folder: {@code --tokenizer}'s subfolder of a pipeline folder, else {@code --model} itself. */
    private Path folder() {
        if (!Files.isDirectory(model)) {
            throw new IllegalArgumentException(model + ": no such folder");
        }
        Path sub = model.resolve(tokenizer);
        if (Files.isDirectory(sub)) {
            return sub;
        }
        if (Files.isRegularFile(model.resolve("model_index.json"))) {
            throw new IllegalArgumentException(model + ": pipeline folder has no " + tokenizer + "/ subfolder");
        }
        return model;
    }
}
