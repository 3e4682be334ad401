package dev.candor.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.server.testing.AcmeReports;
import dev.candor.server.testing.TestCollector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of malformed and hostile requests against one running collector. Each must get its
 * precise status and problem+json answer, store nothing, and leave the collector healthy.
 */
class HostileRequestsTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    @TempDir static Path data;
    static TestCollector collector;

    @BeforeAll
    static void start() {
        collector = TestCollector.start(data);
    }

    @AfterAll
    static void stop() {
        collector.close();
    }

    /**
     * One hostile request and what it must get.
     *
     * @param kind the problem type's last segment
     * @param says text the detail (or, for validation, the listed path) must contain
     */
    record Hostile(String name, String method, String path, byte[] body, List<String> headers,
            int status, String kind, String says) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Hostile json(String name, byte[] body, int status, String kind, String says) {
        return new Hostile(name, "POST", "/v1/reports", body, List.of("Content-Type", "application/json"),
                status, kind, says);
    }

    static Hostile json(String name, String body, int status, String kind, String says) {
        return json(name, body.getBytes(StandardCharsets.UTF_8), status, kind, says);
    }

    /** A valid report changed by {@code breaking}, expected to be refused with 422 naming {@code path}. */
    static Hostile invalid(String name, Consumer<ObjectNode> breaking, String path) {
        ObjectNode report = AcmeReports.valid();
        breaking.accept(report);
        return json(name, AcmeReports.bytes(report), 422, "invalid-report", path);
    }

    static ObjectNode context(ObjectNode report) {
        return (ObjectNode) report.get("context");
    }

    static ObjectNode cell(ObjectNode report, String event, int index) {
        return (ObjectNode) report.get("counts").get(event).get(index);
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    static Stream<Hostile> corpus() {
        byte[] valid = AcmeReports.bytes(AcmeReports.valid());
        byte[] zeros = new byte[16 * 1024 * 1024];
        byte[] bomb = gzip(zeros);
        byte[] gzipped = gzip(valid);
        byte[] truncatedGzip = Arrays.copyOf(gzipped, gzipped.length / 2);
        String deep = "[".repeat(5000) + "]".repeat(5000);
        ObjectNode[] tooMany = new ObjectNode[101];
        Arrays.setAll(tooMany, i -> AcmeReports.valid());
        byte[] oversize = ("{\"reports\":[" + ("{\"pad\":\"" + "x".repeat(4000) + "\"},").repeat(300)
                + "{}]}").getBytes(StandardCharsets.UTF_8);

        return Stream.of(
                // the body as bytes
                json("empty body", "", 400, "malformed", "body is empty"),
                json("not JSON at all", "hello", 400, "malformed", "not valid JSON"),
                json("truncated JSON", "{\"v\":1,\"app\":", 400, "malformed", "not valid JSON"),
                json("duplicate top-level key", "{\"v\":1,\"v\":1}", 400, "malformed", "Duplicate field 'v'"),
                json("duplicate key inside context",
                        new String(valid, StandardCharsets.UTF_8).replace("\"os\":\"linux\"", "\"os\":\"linux\",\"os\":\"windows\""),
                        400, "malformed", "Duplicate field 'os'"),
                json("trailing second document", new String(valid, StandardCharsets.UTF_8) + " {}", 400, "malformed",
                        "something follows the JSON value"),
                json("nesting 5000 deep", deep, 400, "malformed", "nested more than 10 deep"),
                json("string longer than any value", "{\"app\":\"" + "a".repeat(10_000) + "\"}", 400, "malformed",
                        "a string is longer than the 4096 characters accepted"),
                json("number with 40 digits", "{\"v\":" + "9".repeat(40) + "}", 400, "malformed", "a number is 40 characters long; at most 32"),
                json("single quotes", "{'v':1}", 400, "malformed", "not valid JSON"),
                json("comment in JSON", "/* hi */ {\"v\":1}", 400, "malformed", "JSON has no comments"),
                json("NaN as a count", "{\"v\":NaN}", 400, "malformed", "NaN is not a JSON value"),
                json("a plus sign", "{\"v\":+1}", 400, "malformed", "a number starts with +"),
                json("cut off inside an object", "{\"v\":1", 400, "malformed", "ends before an object's closing }"),
                json("invalid UTF-8", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                        400, "malformed", "UTF-8"),
                // headers and sizes
                new Hostile("no Content-Type", "POST", "/v1/reports", valid, List.of(), 415, "unsupported-media-type",
                        "no Content-Type"),
                new Hostile("text/plain", "POST", "/v1/reports", valid, List.of("Content-Type", "text/plain"), 415,
                        "unsupported-media-type", "text/plain"),
                new Hostile("form encoded", "POST", "/v1/reports", valid,
                        List.of("Content-Type", "application/x-www-form-urlencoded"), 415, "unsupported-media-type",
                        "application/x-www-form-urlencoded"),
                new Hostile("latin-1 charset", "POST", "/v1/reports", valid,
                        List.of("Content-Type", "application/json; charset=iso-8859-1"), 415, "unsupported-media-type",
                        "8859-1 is not accepted"),
                new Hostile("brotli encoding", "POST", "/v1/reports", valid,
                        List.of("Content-Type", "application/json", "Content-Encoding", "br"), 415,
                        "unsupported-media-type", "Content-Encoding br"),
                json("body over 1 MiB", oversize, 413, "too-large", "1 MiB"),
                new Hostile("gzip bomb of 16 MiB zeros", "POST", "/v1/reports", bomb,
                        List.of("Content-Type", "application/json", "Content-Encoding", "gzip"), 413, "too-large",
                        "cut off while inflating"),
                new Hostile("plain bytes claiming gzip", "POST", "/v1/reports", valid,
                        List.of("Content-Type", "application/json", "Content-Encoding", "gzip"), 400, "malformed",
                        "the body is not gzip data"),
                new Hostile("truncated gzip", "POST", "/v1/reports", truncatedGzip,
                        List.of("Content-Type", "application/json", "Content-Encoding", "gzip"), 400, "malformed",
                        "the gzip data is cut short"),
                new Hostile("gzip without its trailer", "POST", "/v1/reports", Arrays.copyOf(gzipped, gzipped.length - 8),
                        List.of("Content-Type", "application/json", "Content-Encoding", "gzip"), 400, "malformed",
                        "8-byte trailer"),
                new Hostile("gzip with a few bytes after it", "POST", "/v1/reports", concat(gzipped, "garbage!".getBytes(StandardCharsets.UTF_8)),
                        List.of("Content-Type", "application/json", "Content-Encoding", "gzip"), 400, "malformed",
                        "the body goes on after the end of its gzip data"),
                new Hostile("gzip with a second JSON after it", "POST", "/v1/reports", concat(gzipped, valid),
                        List.of("Content-Type", "application/json", "Content-Encoding", "gzip"), 400, "malformed",
                        "the body goes on after the end of its gzip data"),
                json("101 reports in a batch", AcmeReports.bytes(AcmeReports.batch(tooMany)), 413, "too-large",
                        "at most 100"),
                // the envelope
                json("empty batch", "{\"reports\":[]}", 422, "invalid-report", "$.reports"),
                json("batch with an extra key", "{\"reports\":[" + new String(valid, StandardCharsets.UTF_8)
                        + "],\"sender\":\"me\"}", 422, "invalid-report", "$.sender"),
                json("reports not a list", "{\"reports\":{}}", 422, "invalid-report", "$.reports"),
                json("a bare list", "[" + new String(valid, StandardCharsets.UTF_8) + "]", 422, "invalid-report", "$"),
                json("a bare string", "\"report\"", 422, "invalid-report", "$"),
                json("a number in the batch", "{\"reports\":[1]}", 422, "invalid-report", "$.reports[0]"),
                // the report
                invalid("wire format v2", r -> r.put("v", 2), "$.v"),
                invalid("v as a string", r -> r.put("v", "1"), "$.v"),
                invalid("report_id not a UUID", r -> r.put("report_id", "1-1-1-1-1"), "$.report_id"),
                invalid("report_id null", r -> r.putNull("report_id"), "$.report_id"),
                invalid("the nil UUID as report_id", r -> r.put("report_id", "00000000-0000-0000-0000-000000000000"),
                        "$.report_id"),
                invalid("a time-based UUID as report_id", r -> r.put("report_id", "c232ab00-9414-11ec-b3c8-9f6bdeced846"),
                        "$.report_id"),
                invalid("unknown app", r -> r.put("app", "zeta"), "$.app"),
                invalid("unknown catalog version", r -> r.put("catalog_sha256", "0".repeat(64)), "$.catalog_sha256"),
                invalid("catalog sha in upper case", r -> r.put("catalog_sha256", AcmeReports.catalogSha256().toUpperCase()),
                        "$.catalog_sha256"),
                invalid("exact app version", r -> r.put("app_version", "2.0.1"), "$.app_version"),
                invalid("app version with a name", r -> r.put("app_version", "2.0-alice"), "$.app_version"),
                invalid("period 22 days ago", r -> r.put("period", TODAY.minusDays(22).toString()), "$.period"),
                invalid("period the day after tomorrow", r -> r.put("period", TODAY.plusDays(2).toString()), "$.period"),
                invalid("period not a date", r -> r.put("period", "2026-13-01"), "$.period"),
                invalid("period with a time", r -> r.put("period", TODAY + "T10:15:00Z"), "$.period"),
                invalid("an ip key", r -> r.put("ip", "203.0.113.7"), "$.ip"),
                invalid("a user name in the context", r -> context(r).put("user", "alice"), "$.context.user"),
                invalid("unknown os", r -> context(r).put("os", "beos"), "$.context.os"),
                invalid("exact runtime version", r -> context(r).put("runtime", "java_17.0.2"), "$.context.runtime"),
                invalid("ci as a string", r -> context(r).put("ci", "false"), "$.context.ci"),
                invalid("a path as install method", r -> context(r).put("install_method", "/home/alice/bin"),
                        "$.context.install_method"),
                invalid("context missing", r -> r.remove("context"), "$.context"),
                invalid("unknown event", r -> ((ObjectNode) r.get("counts")).putArray("keystrokes"), "$.counts.keystrokes"),
                invalid("unknown field", r -> cell(r, "command_run", 0).put("file", "secret.txt"),
                        "$.counts.command_run[0].file"),
                invalid("enum value not in the catalog", r -> cell(r, "command_run", 0).put("command", "rm -rf /"),
                        "$.counts.command_run[0].command"),
                invalid("boolean as a string", r -> cell(r, "command_run", 0).put("success", "true"),
                        "$.counts.command_run[0].success"),
                invalid("duration not a bucket", r -> cell(r, "command_run", 0).put("duration", "1234ms"),
                        "$.counts.command_run[0].duration"),
                invalid("field missing in a cell", r -> cell(r, "command_run", 0).remove("duration"),
                        "$.counts.command_run[0].duration"),
                invalid("count missing", r -> cell(r, "command_run", 0).remove("n"), "$.counts.command_run[0].n"),
                invalid("negative exact count", r -> cell(r, "command_run", 0).put("n", -1), "$.counts.command_run[0].n"),
                invalid("count above max_per_cell", r -> cell(r, "command_run", 0).put("n", 101), "$.counts.command_run[0].n"),
                invalid("fractional count", r -> cell(r, "command_run", 0).put("n", 1.5), "$.counts.command_run[0].n"),
                invalid("count beyond a long", r -> cell(r, "command_run", 0).put("n", new java.math.BigInteger("9".repeat(25))),
                        "$.counts.command_run[0].n"),
                invalid("noised count beyond any noise", r -> cell(r, "input_size", 0).put("n", 10_000),
                        "$.counts.input_size[0].n"),
                invalid("a noised event sent sparse", r -> ((ArrayNode) r.get("counts").get("input_size")).remove(0),
                        "$.counts.input_size"),
                invalid("a noised cell twice", r -> ((ArrayNode) r.get("counts").get("input_size"))
                        .set(1, cell(r, "input_size", 0).deepCopy()), "$.counts.input_size[1]"),
                invalid("a property key as error type", r -> cell(r, "error", 0).put("type", "java.io.tmpdir"),
                        "$.counts.error[0].type"),
                invalid("21 named error types", r -> {
                    ArrayNode errors = (ArrayNode) r.get("counts").get("error");
                    for (int i = 0; i < 20; i++) {
                        errors.addObject().put("type", "dev.candor.examples.acme.Failure" + i).put("n", 1);
                    }
                }, "$.counts.error"),
                invalid("a third-party error type", r -> cell(r, "error", 0).put("type", "com.vendor.SecretPluginError"),
                        "$.counts.error[0].type"),
                invalid("an exception message as error type",
                        r -> cell(r, "error", 0).put("type", "java.io.IOException: /home/alice/diary.txt"),
                        "$.counts.error[0].type"),
                invalid("more than 21 error types", r -> {
                    ArrayNode errors = (ArrayNode) r.get("counts").get("error");
                    for (int i = 0; i < 22; i++) {
                        errors.addObject().put("type", "dev.candor.examples.acme.Failure" + i).put("n", 1);
                    }
                }, "$.counts.error"),
                invalid("the same cell twice", r -> ((ArrayNode) r.get("counts").get("command_run"))
                        .add(cell(r, "command_run", 0).deepCopy()), "$.counts.command_run[2]"),
                invalid("a cell that is not an object", r -> ((ArrayNode) r.get("counts").get("command_run")).add("x"),
                        "$.counts.command_run[2]"),
                invalid("noise block missing", r -> r.remove("noise"), "$.noise"),
                invalid("noise with a weaker epsilon", r -> ((ObjectNode) r.get("noise").get("input_size")).put("epsilon", 10),
                        "$.noise.input_size.epsilon"),
                invalid("noise claimed on an exact event", r -> ((ObjectNode) r.get("noise")).putObject("command_run")
                        .put("mechanism", "discrete_laplace").put("epsilon", 1.0), "$.noise.command_run"),
                invalid("odd key names are quoted in the path", r -> r.put("a key\"with quotes", 1),
                        "$[\"a key\\\"with quotes\"]"),
                // other endpoints
                new Hostile("GET on the reports endpoint", "GET", "/v1/reports", null, List.of(), 405,
                        "method-not-allowed", "GET"),
                new Hostile("path traversal", "GET", "/v1/../../etc/passwd", null, List.of(), 400, "malformed", "refused before reaching the collector"),
                new Hostile("unknown path", "GET", "/wp-admin/install.php", null, List.of(), 404, "not-found",
                        "no such endpoint: GET /wp-admin/install.php"),
                new Hostile("catalog of an unknown app", "GET", "/v1/apps/zeta/catalog", null, List.of(), 404,
                        "not-found", "zeta"),
                new Hostile("periods with a wrong token", "GET", "/v1/apps/acme/periods", null,
                        List.of("Authorization", "Bearer guess"), 401, "unauthorized", "wrong"),
                new Hostile("catalog put without a token", "PUT", "/v1/apps/acme/catalog", AcmeReports.catalogBytes(),
                        List.of("Content-Type", "application/json"), 401, "unauthorized", "Bearer"),
                new Hostile("a catalog with free text", "PUT", "/v1/apps/acme/catalog",
                        new String(AcmeReports.catalogBytes(), StandardCharsets.UTF_8)
                                .replace("{\"type\": \"boolean\"}", "{\"type\": \"string\"}").getBytes(StandardCharsets.UTF_8),
                        List.of("Content-Type", "application/json", "Authorization", "Bearer " + TestCollector.ADMIN_TOKEN),
                        422, "invalid-catalog", "string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedPreciselyAndTheCollectorStaysHealthy(Hostile hostile) throws Exception {
        var storedBefore = collector.store().periods("acme");
        HttpRequest.BodyPublisher body = hostile.body() == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(hostile.body());
        HttpResponse<String> response = collector.send(
                HttpRequest.newBuilder(collector.uri(hostile.path())).method(hostile.method(), body),
                hostile.headers().toArray(String[]::new));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(hostile.status());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = MAPPER.readTree(response.body());
        assertThat(problem.get("type").asText()).isEqualTo("urn:candor:problem:" + hostile.kind());
        assertThat(problem.get("status").asInt()).isEqualTo(hostile.status());
        assertThat(problem.get("title").asText()).isNotBlank();
        List<String> said = new ArrayList<>();
        said.add(problem.get("detail").asText());
        problem.path("errors").forEach(e -> said.add(e.get("path").asText() + ": " + e.get("detail").asText()));
        if (hostile.kind().equals("invalid-report")) {
            assertThat(problem.get("errors")).as("every validation problem has its path").isNotEmpty();
            assertThat(problem.get("errors")).extracting(e -> e.get("path").asText()).contains(hostile.says());
        } else {
            assertThat(String.join("\n", said)).contains(hostile.says());
        }
        assertThat(String.join("\n", said)).as("no reason names the JSON library's settings")
                .doesNotContain("`").doesNotContain("Feature").doesNotContain("StreamReadConstraints").doesNotContain("(null)");
        if (hostile.status() == 405) {
            assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        }

        assertThat(collector.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(collector.store().periods("acme")).as("nothing hostile is stored").isEqualTo(storedBefore);
    }

    @Test
    void aBrokenChunkedBodyWithoutGzipIsNotCalledGzip() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", collector.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n10\r\n{\"v\":1").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            socket.shutdownOutput(); // the chunk promised 16 bytes; the body ends after 6
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").doesNotContain("gzip")
                    .contains("the body ended before it was complete");
        }
    }

    @Test
    void theCorpusIsLargeAndTheCollectorStillAcceptsAValidReportAfterIt() {
        assertThat(corpus().count()).isGreaterThanOrEqualTo(30);
        assertThat(collector.postJson("/v1/reports", AcmeReports.bytes(AcmeReports.valid())).statusCode()).isEqualTo(202);
    }
}
