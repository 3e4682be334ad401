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
        System.exit(new CommandLine(new CandorCommand()).execute(args));
    }
}
