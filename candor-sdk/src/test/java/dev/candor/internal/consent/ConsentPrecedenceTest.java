package dev.candor.internal.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.Mode;
import dev.candor.TelemetryStatus.Source;
import dev.candor.internal.context.TestEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The order of DESIGN §4, source by source: for every pair of sources the earlier one wins, and for any
 * mix of settings the decision is the first source that says something (the administrator's file only
 * when it says off).
 */
class ConsentPrecedenceTest {

    /** The sources in the order of DESIGN §4; the administrator's file first, the earlier notice last. */
    enum Src { SYSTEM_FILE, FLAG, ENVIRONMENT, DO_NOT_TRACK, APP_FILE, USER_FILE, NOTICE_MARKER }

    /** One setting of one source: the text written, and the mode it means (null: says nothing). */
    static final class Setting {
        final Src src;
        final String value;
        final Mode means;

        Setting(Src src, String value, Mode means) {
            this.src = src;
            this.value = value;
            this.means = means;
        }

        @Override
        public String toString() {
            return src + "=" + value;
        }
    }

    @Test
    void everyEarlierSourceBeatsEveryLaterOne() throws IOException {
        Src[] order = Src.values();
        for (int hi = 0; hi < order.length; hi++) {
            for (int lo = hi + 1; lo < order.length; lo++) {
                // The earlier source says off (or on, for the marker), the later one says the opposite.
                Setting winner = deciding(order[hi], order[hi] == Src.NOTICE_MARKER ? Mode.ON : Mode.OFF);
                Setting loser = decidingPreferably(order[lo], order[hi] == Src.NOTICE_MARKER ? Mode.OFF : Mode.ON);
                ConsentDecision decision = resolveWith(List.of(winner, loser));
                assertThat(decision.source()).as("%s against %s", winner, loser).isEqualTo(source(order[hi]));
                assertThat(decision.mode()).as("%s against %s", winner, loser).isEqualTo(winner.means);

                // And the other way round, where the earlier source says on where it can.
                Setting onWinner = deciding(order[hi], Mode.ON);
                if (onWinner != null) {
                    Setting offLoser = decidingPreferably(order[lo], Mode.OFF);
                    ConsentDecision d = resolveWith(List.of(onWinner, offLoser));
                    assertThat(d.source()).as("%s against %s", onWinner, offLoser).isEqualTo(source(order[hi]));
                    assertThat(d.mode()).isEqualTo(Mode.ON);
                }
            }
        }
    }

    @Test
    void theAdministratorFileCanNeverForceTelemetryOn() throws IOException {
        ConsentDecision d = resolveWith(List.of(new Setting(Src.SYSTEM_FILE, "true", null),
                new Setting(Src.APP_FILE, "false", Mode.OFF)));
        assertThat(d.source()).isEqualTo(Source.APP_FILE);
        assertThat(resolveWith(List.of(new Setting(Src.SYSTEM_FILE, "true", null))).isNoticeDue()).isTrue();
    }

    @Test
    void nothingSetMeansTheNoticeIsDue() throws IOException {
        ConsentDecision d = resolveWith(List.of());
        assertThat(d.isNoticeDue()).isTrue();
        assertThat(d.mode()).isEqualTo(Mode.OFF);
        assertThat(d.source()).isEqualTo(Source.FIRST_RUN);
    }

    @Property(tries = 150)
    void theFirstSourceThatSaysSomethingDecides(@ForAll("mixes") List<Setting> mix) throws IOException {
        Setting expected = mix.stream().filter(s -> s.means != null)
                .min(Comparator.comparing(s -> s.src)).orElse(null);
        ConsentDecision decision = resolveWith(mix);
        if (expected == null) {
            assertThat(decision.isNoticeDue()).isTrue();
        } else {
            assertThat(decision.source()).isEqualTo(source(expected.src));
            assertThat(decision.mode()).isEqualTo(expected.means);
            assertThat(decision.isNoticeDue()).isFalse();
        }
    }

    @Provide
    Arbitrary<List<Setting>> mixes() {
        List<Arbitrary<Setting>> perSource = new ArrayList<>();
        for (Src src : Src.values()) {
            perSource.add(Arbitraries.of(allSettings(src)));
        }
        // Each source is present or absent, independently.
        return Combinators.combine(
                perSource.get(0).injectNull(0.5), perSource.get(1).injectNull(0.5), perSource.get(2).injectNull(0.5),
                perSource.get(3).injectNull(0.5), perSource.get(4).injectNull(0.5), perSource.get(5).injectNull(0.5),
                perSource.get(6).injectNull(0.5))
                .as((a, b, c, d, e, f, g) -> {
                    List<Setting> list = new ArrayList<>();
                    Stream.of(a, b, c, d, e, f, g).filter(s -> s != null).forEach(list::add);
                    return list;
                });
    }

    /** Every value each source can take, with what it means. */
    static List<Setting> allSettings(Src src) {
        List<Setting> all = new ArrayList<>();
        switch (src) {
            case SYSTEM_FILE:
                all.add(new Setting(src, "false", Mode.OFF));
                all.add(new Setting(src, "0", Mode.OFF));
                all.add(new Setting(src, "true", null));
                all.add(new Setting(src, "local", null));
                break;
            case FLAG:
                all.add(new Setting(src, "--no-telemetry", Mode.OFF));
                all.add(new Setting(src, "--telemetry", Mode.ON));
                all.add(new Setting(src, "--telemetry --no-telemetry", Mode.OFF));
                break;
            case ENVIRONMENT:
                for (String v : List.of("0", "false", "off", "no", "OFF", " No ", "banana")) {
                    all.add(new Setting(src, v, Mode.OFF));
                }
                for (String v : List.of("1", "true", "on", "yes", "TRUE")) {
                    all.add(new Setting(src, v, Mode.ON));
                }
                all.add(new Setting(src, "local", Mode.LOCAL));
                all.add(new Setting(src, "", null));
                break;
            case DO_NOT_TRACK:
                for (String v : List.of("1", "true", "yes", "anything")) {
                    all.add(new Setting(src, v, Mode.OFF));
                }
                all.add(new Setting(src, "0", null));
                all.add(new Setting(src, "", null));
                break;
            case APP_FILE:
            case USER_FILE:
                all.add(new Setting(src, "true", Mode.ON));
                all.add(new Setting(src, "false", Mode.OFF));
                all.add(new Setting(src, "local", Mode.LOCAL));
                all.add(new Setting(src, "maybe", Mode.OFF));
                all.add(new Setting(src, null, null)); // the file exists without the key
                break;
            default:
                all.add(new Setting(src, "shown", Mode.ON));
                break;
        }
        return all;
    }

    /** A setting of {@code src} that means {@code mode}, or null when the source cannot say it. */
    static Setting deciding(Src src, Mode mode) {
        return allSettings(src).stream().filter(s -> s.means == mode).findFirst().orElse(null);
    }

    /** A setting of {@code src} that means {@code mode} if it can, else one that means anything. */
    static Setting decidingPreferably(Src src, Mode mode) {
        Setting s = deciding(src, mode);
        return s != null ? s : allSettings(src).stream().filter(x -> x.means != null).findFirst().orElseThrow();
    }

    static Source source(Src src) {
        switch (src) {
            case NOTICE_MARKER:
                return Source.FIRST_RUN;
            default:
                return Source.valueOf(src.name());
        }
    }

    /** Resolves consent for "acme" in a fresh temporary machine set up with {@code settings}. */
    static ConsentDecision resolveWith(List<Setting> settings) throws IOException {
        Path root = Files.createTempDirectory("candor-precedence");
        try {
            TestEnvironment env = new TestEnvironment(root);
            TelemetryPaths paths = TelemetryPaths.of("acme", env);
            List<String> args = new ArrayList<>(List.of("count", "file.txt"));
            Map<Src, Setting> bySource = new EnumMap<>(Src.class);
            settings.forEach(s -> bySource.put(s.src, s));
            for (Setting s : bySource.values()) {
                switch (s.src) {
                    case SYSTEM_FILE:
                        write(paths.systemConfigFile(), "telemetry=" + s.value);
                        break;
                    case FLAG:
                        args.addAll(0, List.of(s.value.split(" ")));
                        break;
                    case ENVIRONMENT:
                        env.set("ACME_TELEMETRY", s.value);
                        break;
                    case DO_NOT_TRACK:
                        env.set("DO_NOT_TRACK", s.value);
                        break;
                    case APP_FILE:
                        write(paths.appConfigFile(), s.value == null ? "# nothing\nother=1" : "telemetry=" + s.value);
                        break;
                    case USER_FILE:
                        write(paths.userConfigFile(), s.value == null ? "other=1" : "telemetry = " + s.value);
                        break;
                    default:
                        write(paths.noticeMarker(), "shown");
                        break;
                }
            }
            return ConsentResolver.resolve(paths, env, TelemetryFlags.scan(args.toArray(new String[0])), line -> { });
        } finally {
            deleteTree(root);
        }
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text + "\n");
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
