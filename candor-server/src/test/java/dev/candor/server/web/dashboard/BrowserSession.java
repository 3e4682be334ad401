package dev.candor.server.web.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A real headless Chromium, driven through Debian's {@code chromedriver} with the W3C WebDriver
 * protocol over loopback HTTP: open a page, ask the browser for the laid-out geometry of
 * elements, take a screenshot. Small on purpose: it speaks the few WebDriver commands the browser
 * tests need (plus chromedriver's DevTools pass-through for whole-page screenshots), and nothing
 * reaches beyond 127.0.0.1.
 */
final class BrowserSession implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process driver;
    private final Path profile;
    private final String base;
    private final String session;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    BrowserSession(int width, int height) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        profile = Files.createTempDirectory("candor-chromium-");
        driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromedriver.log").toFile()).start();
        base = "http://127.0.0.1:" + port;
        waitUntilReady();
        ObjectNode caps = JSON.createObjectNode();
        ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
        always.put("browserName", "chrome");
        ObjectNode chrome = always.putObject("goog:chromeOptions");
        chrome.put("binary", CHROMIUM.toString());
        if (width < 500) {
            // a headless window is at least 500 px wide; narrower screens are emulated like a phone
            chrome.putObject("mobileEmulation").putObject("deviceMetrics")
                    .put("width", width).put("height", height).put("pixelRatio", 1.0).put("touch", true);
        }
        var args = chrome.putArray("args");
        for (String a : List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--window-size=" + width + "," + height, "--user-data-dir=" + profile.resolve("profile"))) {
            args.add(a);
        }
        JsonNode created = call("POST", "/session", caps);
        session = created.path("sessionId").asText();
        if (session.isEmpty()) {
            throw new IllegalStateException("chromedriver did not create a session: " + created);
        }
    }

    void open(String url) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("url", url);
        call("POST", "/session/" + session + "/url", body);
    }

    /** Runs {@code script} (a function body) in the page and returns its result as JSON. */
    JsonNode execute(String script) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("script", script);
        body.putArray("args");
        return call("POST", "/session/" + session + "/execute/sync", body);
    }

    /** Whether the JavaScript {@code condition} became true in the page within 10 s (pages load on their own time). */
    boolean await(String condition) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        do {
            if (execute("return document.readyState === 'complete' && (" + condition + ");").asBoolean()) {
                return true;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return false;
    }

    /** Types {@code text} into the first element matching the CSS selector, key by key, as a user would. */
    void type(String css, String text) throws IOException, InterruptedException {
        call("POST", "/session/" + session + "/element/" + element(css) + "/value",
                JSON.createObjectNode().put("text", text));
    }

    /** Clicks the first element matching the CSS selector; when that loads a page, the driver waits for it. */
    void click(String css) throws IOException, InterruptedException {
        call("POST", "/session/" + session + "/element/" + element(css) + "/click", JSON.createObjectNode());
    }

    private String element(String css) throws IOException, InterruptedException {
        JsonNode found = call("POST", "/session/" + session + "/element",
                JSON.createObjectNode().put("using", "css selector").put("value", css));
        String id = found.path("element-6066-11e4-a52e-4f735466cecf").asText(""); // the W3C key of an element reference
        if (id.isEmpty()) {
            throw new IllegalStateException("WebDriver found no element reference for " + css + ": " + found);
        }
        return id;
    }

    /** Saves a PNG screenshot of the whole page, {@code width} CSS pixels wide, however long it is. */
    void screenshotWholePage(Path png, int width) throws IOException, InterruptedException {
        int height = execute("return Math.ceil(document.documentElement.scrollHeight);").asInt();
        ObjectNode body = JSON.createObjectNode().put("cmd", "Page.captureScreenshot");
        ObjectNode params = body.putObject("params").put("format", "png").put("captureBeyondViewport", true);
        params.putObject("clip").put("x", 0).put("y", 0).put("width", width).put("height", Math.min(height, 12000))
                .put("scale", 1);
        JsonNode shot = call("POST", "/session/" + session + "/goog/cdp/execute", body);
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(shot.path("data").asText()));
    }

    private JsonNode call(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode value = JSON.readTree(r.body()).path("value");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("WebDriver " + method + " " + path + " failed (HTTP " + r.statusCode()
                    + "): " + value.path("message").asText(r.body()));
        }
        return value;
    }

    private void waitUntilReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/status")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && JSON.readTree(r.body()).path("value").path("ready").asBoolean()) {
                    return;
                }
            } catch (IOException notYet) {
                // chromedriver is still starting
            }
            if (!driver.isAlive()) {
                throw new IllegalStateException("chromedriver exited: " + Files.readString(profile.resolve("chromedriver.log")));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("chromedriver did not answer on " + base + " within 20 s");
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                call("DELETE", "/session/" + session, null);
            }
        } catch (IOException | InterruptedException | RuntimeException ignored) {
            // the browser goes away with its driver below
        } finally {
            driver.destroy();
            try {
                driver.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            driver.destroyForcibly();
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
