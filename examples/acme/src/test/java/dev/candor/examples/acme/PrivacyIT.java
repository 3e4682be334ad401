package dev.candor.examples.acme;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Privacy is tested, not asserted: a user whose name, host, e-mail address, IP address, home folder,
 * working folder and file names are all generated runs acme's real commands with telemetry on, over a
 * closed day, and the report is sent to a collector on loopback. Then every byte the SDK wrote under
 * HOME (config and state, file names and contents) and every byte the collector received is searched
 * for each of those values. None may appear.
 */
class PrivacyIT {
    private static final String DAY1 = "2026-11-20 12:00:00";
    private static final String DAY2 = "2026-11-21 12:00:00";

    /** One generated person and machine; every value is distinctive so that a hit is never chance. */
    record Person(String user, String host, String email, String ip, String folder, String fileStem) {
        List<String> secrets() {
            return List.of(user, host, email, ip, folder, fileStem);
        }
    }

    @Provide
    Arbitrary<Person> people() {
        Arbitrary<String> word = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(6).ofMaxLength(10).map(w -> "zq" + w);
        Arbitrary<String> ip = Arbitraries.integers().between(1, 254).list().ofSize(4)
                .map(parts -> "10." + parts.get(0) + "." + parts.get(1) + "." + parts.get(2));
        return Combinators.combine(word, word, word, ip, word, word)
                .as((user, host, mailbox, address, folder, stem) -> new Person(user, host + "-laptop",
                        mailbox + "@" + host + ".example", address, folder, stem));
    }

    @Property(tries = 4)
    void nothingOfTheUserIsWrittenOrSent(@ForAll("people") Person person) throws Exception {
        Path base = Files.createTempDirectory("candor-privacy");
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/reports", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
                received.add(new String((gzip ? new GZIPInputStream(body) : body).readAllBytes(), StandardCharsets.UTF_8));
            }
            byte[] answer = "{\"accepted\": 1, \"duplicates\": 0}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(202, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        collector.start();
        try {
            // The home folder and the working folder both carry the user's name.
            Path root = base.resolve(person.user()).resolve(person.folder());
            Files.createDirectories(root);
            Machine m = new Machine(root).env("ACME_TELEMETRY", "1")
                    .env("ACME_TELEMETRY_ENDPOINT", "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/reports")
                    .env("USER", person.user()).env("LOGNAME", person.user()).env("HOSTNAME", person.host());
            String contents = "mail " + person.email() + " from " + person.ip() + " on " + person.host() + "\n";
            Path text = root.resolve(person.fileStem() + "-" + person.email() + ".txt");
            Files.writeString(text, contents);
            Path csv = root.resolve(person.fileStem() + ".csv");
            Files.writeString(csv, "user,host,ip\n" + person.user() + "," + person.host() + "," + person.ip() + "\n");

            assertThat(m.acmeAt(DAY1, "count", text.getFileName().toString()).exit).isZero();
            assertThat(m.acmeAt(DAY1, "hash", text.toString()).exit).isZero();
            assertThat(m.acmeAt(DAY1, "convert", csv.getFileName().toString(), person.fileStem() + ".json").exit).isZero();
            // A failing command: its exception message names the missing file; only the type may travel.
            assertThat(m.acmeAt(DAY1, "hash", root.resolve(person.email() + "-missing").toString()).exit).isEqualTo(1);
            Machine.Run send = m.acmeAt(DAY2, "telemetry", "send");
            assertThat(send.out).as("%s", send).contains("1 sent");

            assertThat(received).hasSize(1);
            List<String> written = everythingUnder(m.home);
            for (String secret : person.secrets()) {
                assertThat(received.get(0)).as("sent report").doesNotContain(secret);
                for (String entry : written) {
                    assertThat(entry).as("a file the SDK wrote under HOME").doesNotContain(secret);
                }
            }
        } finally {
            collector.stop(0);
            deleteTree(base);
        }
    }

    /** For every file under {@code dir}: its path below {@code dir}, then its whole content. */
    private static List<String> everythingUnder(Path dir) throws IOException {
        List<String> entries = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                entries.add(dir.relativize(file).toString());
                if (Files.isRegularFile(file)) {
                    entries.add(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                }
            }
        }
        assertThat(entries).as("the SDK wrote its state under HOME").anyMatch(e -> e.contains("sent"));
        return entries;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
