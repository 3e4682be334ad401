package dev.candor.internal.consent;

import dev.candor.Mode;
import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogDiff;
import dev.candor.internal.context.Environment;

/**
 * The question a user who agreed before sees when a new version of the app can count more: only
 * what is new (in the words of {@code telemetry what}), never the whole notice again, and
 * {@code Count the new items too? [Y/n]} with the first-run question's rules (a terminal on standard
 * input and error, {@code CI} unset; Enter is yes; no answer within 30 s decides nothing and asks again
 * next run). Saying no keeps telemetry as it is for what was agreed before; it is not asked again for
 * this catalog. It only prints and reads: the caller saves the answer.
 */
public final class CatalogChangeNotice {
    static final String QUESTION = "Count the new items too? [Y/n] ";

    private CatalogChangeNotice() {
    }

    /** True when the question can be asked in this run: the first-run notice's conditions. */
    public static boolean canAsk(Environment env) {
        return FirstRun.canAsk(env);
    }

    /** The notice for {@code diff}, ending with a line break. {@code mode} is the mode that stays. */
    public static String render(Catalog catalog, CatalogDiff diff, String command, String version, Mode mode) {
        String nl = System.lineSeparator();
        StringBuilder out = new StringBuilder(1024);
        out.append("What's new in ").append(catalog.title()).append("'s telemetry");
        if (version != null && !version.isBlank()) {
            out.append(" (").append(command).append(' ').append(version).append(')');
        }
        out.append(':').append(nl)
                .append("This version can count more than you agreed to. Nothing new is counted until you say yes;")
                .append(nl)
                .append("what you agreed to before is still counted either way (telemetry stays ")
                .append(mode == Mode.LOCAL ? "local" : "on").append(").").append(nl).append(nl);
        for (String line : CatalogDiff.describeChanges(catalog, diff).split("\n", -1)) {
            if (!line.isEmpty()) {
                out.append("  ").append(line).append(nl);
            }
        }
        out.append(nl)
                .append("  See it again: ").append(command).append(" telemetry what --new").append(nl)
                .append("  Accept later: ").append(command).append(" telemetry ")
                .append(mode == Mode.LOCAL ? "local" : "enable").append(nl)
                .append("  Turn telemetry off: ").append(command).append(" telemetry disable").append(nl);
        return out.toString();
    }

    /**
     * Shows {@code notice} and asks, as the first-run question does: {@code Mode.ON} when the user says yes (count
     * the new items too), {@code Mode.OFF} for no, {@code null} after the timeout or at end of input.
     */
    public static Mode ask(String notice, Environment env) {
        return FirstRun.ask(env, notice, QUESTION, "nothing new is counted, and you will be asked again next time.");
    }

    /** One line for the log and {@code telemetry status}: how many items wait and what to do about them. */
    public static String waitingLine(int waiting, String command, Mode mode) {
        return waiting + (waiting == 1 ? " new telemetry item waits" : " new telemetry items wait")
                + " for your OK and " + (waiting == 1 ? "is" : "are") + " not counted: review with `" + command
                + " telemetry what --new`, accept with `" + command + " telemetry "
                + (mode == Mode.LOCAL ? "local" : "enable") + "`";
    }
}
