package io.jmmdit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The {@code jmmdit} command line. Subcommands are registered in {@code subcommands = {...}} below; a subcommand should
 * extend {@link JmmditCommand}, which turns any exception into the one-line {@code jmmdit: <message>} error on stderr
 * (stack trace only with {@code --verbose}) and a non-zero exit code, also when run through a bare
 * {@code new CommandLine(new Jmmdit())}. {@link #commandLine()} (used by {@link #main}) adds the same handling for
 * usage errors (exit code 2) and for commands that do not extend {@link JmmditCommand}.
 */
@Command(name = "jmmdit",
        mixinStandardHelpOptions = true,
        versionProvider = Jmmdit.Version.class,
        description = "Pure-JVM MMDiT flow transformers (FLUX.1, SD3): generation and real-image editing by inversion.",
        subcommands = {
            InspectCommand.class,
            TraceCommand.class,
            TokenizeCommand.class,
            GenerateCommand.class,
            InvertCommand.class,
            EditCommand.class,
            DemoCommand.class,
            EditEvalCommand.class,
            BenchCommand.class,
        })
public final class Jmmdit implements Runnable {

    /** Exit code of a failed command. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of a usage error. */
    public static final int EXIT_USAGE = 2;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** A command line with one-line error handling for usage errors and for every subcommand. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Jmmdit());
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("jmmdit: " + oneLine(ex.getMessage()) + " (see 'jmmdit --help')");
            err.flush();
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            reportError(commandLine.getErr(), ex, isVerbose(parseResult));
            return EXIT_FAILURE;
        });
        return cl;
    }

    @Override
    public void run() {
        // no subcommand: show the usage
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static boolean isVerbose(ParseResult pr) {
        for (ParseResult p = pr; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** Prints {@code jmmdit: <message>} on one line, and the stack trace if verbose. */
    static void reportError(PrintWriter err, Throwable ex, boolean verbose) {
        err.println("jmmdit: " + describe(ex));
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
    }

    static String describe(Throwable ex) {
        String msg = ex.getMessage();
        boolean expected = ex instanceof io.jmmdit.weights.WeightsException || ex instanceof IllegalArgumentException
                || ex instanceof IOException || ex instanceof java.io.UncheckedIOException;
        if (msg == null || msg.isBlank()) {
            msg = ex.getClass().getSimpleName();
        }
        return expected ? oneLine(msg) : oneLine("internal error: " + ex.getClass().getName() + ": " + msg + " (run with --verbose for the stack trace)");
    }

    /** Control characters (newlines included) become spaces; very long messages are shortened. */
    static String oneLine(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 2000));
        for (int i = 0; i < s.length() && b.length() < 2000; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (b.length() >= 2000) {
            b.append("...");
        }
        return b.toString().strip();
    }

    /** The version from the filtered {@code version.properties}, else the jar manifest. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jmmdit " + version()};
        }

        public static String version() {
            try (InputStream in = Jmmdit.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    String v = p.getProperty("version");
                    if (v != null && !v.isBlank() && !v.startsWith("${")) {
                        return v;
                    }
                }
            } catch (IOException ignored) {
                // fall through to the manifest
            }
            String v = Jmmdit.class.getPackage().getImplementationVersion();
            return v != null ? v : "unknown";
        }
    }
}
