package dev.candor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's {@code --help} renders without a picocli warning: a description is a format
 * string, so a bare {@code %} (as in "95% intervals") makes picocli print a warning instead.
 */
class UsageHelpTest {

    private static void collect(CommandLine command, List<CommandLine> all) {
        all.add(command);
        command.getSubcommands().values().forEach(sub -> {
            if (!all.contains(sub)) {
                collect(sub, all);
            }
        });
    }

    @Test
    void everyCommandsUsageHelpRendersWithoutAWarning() {
        List<CommandLine> commands = new ArrayList<>();
        collect(new CommandLine(new CandorCommand()), commands);
        assertThat(commands).hasSizeGreaterThan(8);
        PrintStream stderr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        List<String> helps = new ArrayList<>();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            for (CommandLine command : commands) {
                helps.add(command.getUsageMessage(CommandLine.Help.Ansi.OFF));
            }
        } finally {
            System.setErr(stderr);
        }
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(String.join("\n", helps)).contains("95% intervals").doesNotContain("%%");
    }

    /**
     * An option's value is named for what it is ({@code --data=DIR}, not picocli's {@code --data=<data>} taken
     * from the field), and every subcommand's one-line summary in its parent's list is a whole sentence (the
     * docs summary used to end in "how to turn it off,").
     */
    @Test
    void everyValueIsNamedAndEverySummaryIsASentence() {
        List<CommandLine> commands = new ArrayList<>();
        collect(new CommandLine(new CandorCommand()), commands);
        for (CommandLine command : commands) {
            String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertThat(help).as(command.getCommandName() + "\n" + help).doesNotContainPattern("=<[a-zA-Z]+>")
                    .as("a path cut in two by the line's wrap").doesNotContainPattern("\\./?\\s*\\n\\s*/\\S");
            if (command.getParent() != null) {
                String[] description = command.getCommandSpec().usageMessage().description();
                assertThat(description).as(command.getCommandSpec().qualifiedName()).isNotEmpty();
                assertThat(description[0]).as("the line `" + command.getParent().getCommandName() + " --help` lists for "
                        + command.getCommandSpec().qualifiedName()).endsWith(".");
            }
        }
    }
}
