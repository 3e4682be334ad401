package dev.candor.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code candor} command: {@code java -jar candor.jar <subcommand>} (DESIGN §8). Each
 * subcommand is its own class in this package.
 */
@Command(name = "candor", mixinStandardHelpOptions = true, version = "candor 0.1.0",
        description = "The Candor collector and its tools.",
        subcommands = {ServeCommand.class, CatalogCommand.class, StatsCommand.class, SimulateCommand.class,
                RollupCommand.class, RetentionCommand.class, ReleaseCommand.class, CommandLine.HelpCommand.class})
public final class CandorCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand, for example: candor serve");
    }

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new CandorCommand());
        // one writer for every subcommand, so that all of what was printed is flushed below
        commandLine.setOut(commandLine.getOut());
        int exit = commandLine.execute(args);
        commandLine.getOut().flush();
        System.exit(exitAfterWriting(exit, System.out.checkError(), outputIsPipe(), commandLine.getErr()));
    }

    /** Whether standard output is a pipe (Linux; false where that cannot be told). */
    private static boolean outputIsPipe() {
        try {
            return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/1")).toString()
                    .startsWith("pipe:");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The exit code once standard output is written: a command that succeeded but whose output could
     * not all be written (a full disk behind {@code > TELEMETRY.md}) exits 1 and says so, since Java's
     * standard output drops write errors silently and a script would otherwise keep a truncated file as
     * if it were whole. Into a pipe, the only failure is a reader that stopped early ({@code | head}):
     * that ends the command quietly with 141, as SIGPIPE ends the shell's own tools.
     */
    static int exitAfterWriting(int exit, boolean outputFailed, boolean outputIsPipe, java.io.PrintWriter err) {
        if (!outputFailed || exit != 0) {
            return exit;
        }
        if (outputIsPipe) {
            return 141;
        }
        err.println("candor: standard output could not be written (a full disk?); what was printed is incomplete");
        err.flush();
        return 1;
    }
}
