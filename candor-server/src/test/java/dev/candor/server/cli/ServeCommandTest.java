package dev.candor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code candor serve} refusing to start, as an operator meets it: one line naming the cause, a
 * non-zero exit, no stack trace, and nothing created on disk. (A serve that does start blocks until
 * the JVM stops, so each case here runs under a timeout that fails it instead of hanging the build.)
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServeCommandTest {

    @TempDir Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run candor(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CandorCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static void assertOneLineWithoutTrace(Run r) {
        assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aPortInUseIsNamedAndNothingIsCreated() throws Exception {
        Path data = dir.resolve("data");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            Run r = candor("serve", "--host", "127.0.0.1", "--port", Integer.toString(port), "--data", data.toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).startsWith("candor serve: cannot listen on 127.0.0.1:" + port + ": the port is in use");
            assertOneLineWithoutTrace(r);
        }
        assertThat(data).doesNotExist();
    }

    @Test
    void anAdminTokenWithWhiteSpaceAroundItIsRefusedBeforeAnythingIsCreated() {
        Path data = dir.resolve("data");
        for (String token : new String[] {" 0123456789abcdef0123", "0123456789abcdef0123\n"}) {
            Run r = candor("serve", "--port", "0", "--data", data.toString(), "--admin-token", token);
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).startsWith("candor serve: the admin token (--admin-token or CANDOR_ADMIN_TOKEN) begins or ends"
                    + " with white space");
            assertOneLineWithoutTrace(r);
        }
        assertThat(data).doesNotExist();
    }

    /**
     * Unicode's white space at either end is refused as ASCII's is (a no-break space pasted from a page);
     * white space inside a token and other non-ASCII characters are not.
     */
    @Test
    void anAdminTokenWithUnicodeWhiteSpaceAroundItIsRefusedButNotOneWithSpaceInside() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String port = Integer.toString(taken.getLocalPort());
            for (String token : new String[] {"0123456789abcdef0123\u00a0", "\u3000Grüße-0123456789abcdef",
                    "0123456789abcdef0123\u202f", "\u2003 0123456789abcdef0123"}) {
                Run r = candor("serve", "--host", "127.0.0.1", "--port", port, "--data", dir.resolve("data").toString(),
                        "--admin-token", token);
                assertThat(r.exit()).isEqualTo(2);
                assertThat(r.err()).startsWith("candor serve: the admin token (--admin-token or CANDOR_ADMIN_TOKEN) begins"
                        + " or ends with white space");
                assertOneLineWithoutTrace(r);
            }
            // the port in use stops serve right after its checks: these tokens passed them
            for (String token : new String[] {"correct horse battery staple", "Grüße\u00a0aus\u00a0Köln-☕-0123456789"}) {
                Run r = candor("serve", "--host", "127.0.0.1", "--port", port, "--data", dir.resolve("data").toString(),
                        "--admin-token", token);
                assertThat(r.err()).as(token).startsWith("candor serve: cannot listen");
            }
        }
    }

    @Test
    void anAdminTokenWithAControlCharacterIsRefusedAndTheCharacterNamed() throws Exception {
        Path data = dir.resolve("data");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            for (String[] tokenAndCode : new String[][] {{"0123456789\tabcdef0123", "U+0009 (character 11)"},
                    {"0123456789abcdef\u0000x", "U+0000 (character 17)"},
                    {"日本\u0085語0123456789abcdef", "U+0085 (character 3)"},
                    {"0123456789abcdef\u007f0123", "U+007F (character 17)"}}) {
                Run r = candor("serve", "--host", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()),
                        "--data", data.toString(), "--admin-token", tokenAndCode[0]);
                assertThat(r.exit()).isEqualTo(2);
                assertThat(r.err()).startsWith("candor serve: the admin token (--admin-token or CANDOR_ADMIN_TOKEN) holds"
                        + " the control character " + tokenAndCode[1] + "; use printable characters only");
                assertOneLineWithoutTrace(r);
            }
        }
        assertThat(data).doesNotExist();
    }

    @Test
    void aShortAdminTokenAndAProxyBlockOfEveryAddressAreWarnedOf() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            // the port in use stops serve right after its checks, so that the test sees them without a server
            Run r = candor("serve", "--host", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()),
                    "--data", dir.resolve("data").toString(), "--admin-token", "hunter2",
                    "--trusted-proxy", "10.0.0.1", "--trusted-proxy", "0.0.0.0/0");
            assertThat(r.err().lines()).hasSize(3);
            assertThat(r.err().lines().filter(l -> l.startsWith("warning: ")))
                    .anySatisfy(l -> assertThat(l).startsWith("warning: --trusted-proxy 0.0.0.0/0 trusts every address"))
                    .anySatisfy(l -> assertThat(l).startsWith("warning: the admin token is only 7 characters"));
            Run halves = candor("serve", "--host", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()),
                    "--data", dir.resolve("data").toString(), "--trusted-proxy", "0.0.0.0/1", "--trusted-proxy", "128.0.0.0/1");
            assertThat(halves.err().lines()).hasSize(2).first().isEqualTo("warning: --trusted-proxy 0.0.0.0/1, "
                    + "--trusted-proxy 128.0.0.0/1 together trust every address: any sender can then name, in "
                    + "X-Forwarded-For, the address it counts as, and escape --rate-limit and the limit on wrong admin "
                    + "tokens; name your proxies' own addresses instead");
            Run quiet = candor("serve", "--host", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()),
                    "--data", dir.resolve("data").toString(), "--admin-token", "0123456789abcdef",
                    "--trusted-proxy", "10.0.0.0/8");
            assertOneLineWithoutTrace(quiet);
            assertThat(quiet.err()).startsWith("candor serve: cannot listen");
        }
    }

    @Test
    void aPortOutOfRangeIsRefusedBeforeAnythingIsCreated() {
        Path data = dir.resolve("data");
        Run r = candor("serve", "--port", "99999", "--data", data.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--port must be from 1 to 65535 (or 0 for any free port), not 99999");
        assertOneLineWithoutTrace(r);
        assertThat(data).doesNotExist();
    }

    @Test
    void aHostThatIsNoAddressIsRefusedBeforeAnythingIsCreated() {
        Path data = dir.resolve("data");
        Run r = candor("serve", "--host", "999.1.1.1", "--port", "0", "--data", data.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--host \"999.1.1.1\" is neither an IP address nor a host name that resolves");
        assertOneLineWithoutTrace(r);
        assertThat(data).doesNotExist();
    }

    @Test
    void anAddressOfAnotherMachineIsNamed() {
        Path data = dir.resolve("data");
        Run r = candor("serve", "--host", "192.0.2.1", "--port", "0", "--data", data.toString()); // TEST-NET-1
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("candor serve: cannot listen on 192.0.2.1:0: the address is not one of this machine's");
        assertOneLineWithoutTrace(r);
        assertThat(data).doesNotExist();
    }

    @Test
    void theFolderIsLeftAloneWhenTheArgumentsAreWrong() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        assertThat(candor("serve", "--port", "-1", "--data", dir.resolve("data").toString()).exit()).isEqualTo(2);
        assertThat(dir.resolve("data")).isEmptyDirectory();
    }

    @Test
    void commandMessagesGiveTheReasonNotJustThePath() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Run notAFolder = candor("serve", "--host", "127.0.0.1", "--port", "0", "--data", file.toString());
        assertThat(notAFolder.err()).isEqualTo("candor serve: cannot create the data folder " + file
                + ": a file of that name already exists" + System.lineSeparator());
        Run noCatalog = candor("serve", "--host", "127.0.0.1", "--port", "0", "--data", dir.resolve("d").toString(),
                "--catalog", dir.resolve("nofile.json").toString());
        assertThat(noCatalog.err()).contains("cannot read catalog " + dir.resolve("nofile.json") + ": no such file or folder");
        Run docs = candor("catalog", "docs", CatalogCommandTest.ACME.toString(), "--out", file.resolve("x").resolve("T.md").toString());
        assertThat(docs.err()).contains("cannot write " + file.resolve("x").resolve("T.md") + ": " + file.resolve("x")
                + ": is not a folder");
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Run stats = candor("stats", "acme", "--url", "http://127.0.0.1:" + closed);
        assertThat(stats.err()).contains("cannot reach the collector at http://127.0.0.1:" + closed).endsWith(
                ": connection refused" + System.lineSeparator());
        Run epsilon = candor("serve", "--epsilon", "-1", "--data", dir.resolve("d").toString());
        assertThat(epsilon.err()).startsWith("candor serve: --epsilon: epsilon must be a positive finite number");
        Run epsilonFor = candor("serve", "--epsilon-for", "os=-1", "--data", dir.resolve("d").toString());
        assertThat(epsilonFor.err()).startsWith("candor serve: --epsilon-for os=-1.0: epsilon must be");
    }

    /**
     * A candor.db that is not the collector's (not SQLite at all, a damaged file, another program's SQLite
     * database) is refused by serve and by the offline commands alike, with one line saying what it is and
     * what to do, and left exactly as it was: not switched to WAL mode, no Candor table added.
     */
    @Test
    void aDatabaseFileThatIsNotTheCollectorsIsRefusedAndLeftUntouched() throws Exception {
        Path text = Files.createDirectories(dir.resolve("text"));
        Files.writeString(text.resolve("candor.db"), "hello, not a database\n");
        Path damaged = Files.createDirectories(dir.resolve("damaged"));
        byte[] noise = new byte[8192];
        new java.util.Random(7).nextBytes(noise);
        System.arraycopy("SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, noise, 0, 16);
        Files.write(damaged.resolve("candor.db"), noise);
        Path other = Files.createDirectories(dir.resolve("other"));
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + other.resolve("candor.db"));
                java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE TABLE reports (x TEXT)");
            st.execute("INSERT INTO reports VALUES ('theirs')");
        }
        String[][] cases = {
            {text.toString(), "is not a SQLite database, so not a Candor collector's; give --data a folder of its own"},
            {damaged.toString(), "it is damaged, or not a database; if it is the collector's, restore it from a backup"},
            {other.toString(), "holds another program's tables (reports) and no Candor schema, so it is not a Candor "
                    + "collector's database; give --data a folder of its own"},
        };
        for (String[] c : cases) {
            Path file = Path.of(c[0]).resolve("candor.db");
            byte[] before = Files.readAllBytes(file);
            for (String[] args : new String[][] {
                {"serve", "--host", "127.0.0.1", "--port", "0", "--data", c[0]},
                {"rollup", "--data", c[0]},
                {"stats", "acme", "--data", c[0]},
            }) {
                Run r = candor(args);
                assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(1);
                assertThat(r.err()).as(String.join(" ", args))
                        .startsWith("candor " + args[0] + ": " + file.toAbsolutePath()).contains(c[1])
                        .contains("nothing was changed in it");
                assertOneLineWithoutTrace(r);
                assertThat(Files.readAllBytes(file)).as(String.join(" ", args)).isEqualTo(before);
                try (var list = Files.list(Path.of(c[0]))) {
                    assertThat(list.map(p -> p.getFileName().toString())).containsExactly("candor.db");
                }
            }
        }
    }

    /**
     * With both, --data was quietly ignored: an operator could roll up a store other than the one meant. The
     * offline commands take one or the other (DESIGN §8: [--data DIR | --db URL]); serve may take both, and warns.
     */
    @Test
    void dataAndDbTogetherAreRefusedBeforeAnythingIsOpened() {
        Path data = dir.resolve("data");
        String url = "jdbc:postgresql://127.0.0.1:9/candor";
        Run serve = candor("serve", "--host", "127.0.0.1", "--port", "0", "--data", data.toString(), "--db", url);
        assertThat(serve.exit()).isEqualTo(1);
        assertThat(serve.err()).startsWith("warning: --data " + data + " is not used: with --db the collector keeps "
                + "everything in PostgreSQL, and nothing is read from or written to the folder\n"
                + "candor serve: cannot connect to jdbc:postgresql://127.0.0.1:9/candor: connection refused");
        for (String[] args : new String[][] {
            {"rollup", "--data", data.toString(), "--db", url},
            {"retention", "--db", url, "--data", data.toString()},
            {"release", "--data", data.toString(), "--db", url},
        }) {
            Run r = candor(args);
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("candor " + args[0] + ": give either --data (the SQLite folder) or --db "
                    + "(a PostgreSQL database), not both: they are two different stores\n");
        }
        assertThat(data).doesNotExist();
    }

    @Test
    void aBrokenCatalogListsEachProblemOnce() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"app\": \"zz\", \"retention_days\": 0}");
        Run r = candor("serve", "--host", "127.0.0.1", "--port", "0", "--data", dir.resolve("d").toString(),
                "--catalog", bad.toString());
        assertThat(r.exit()).isEqualTo(1);
        String problem = "retention_days: must be a whole number from 1 to 3650, not 0";
        assertThat(r.err().split(java.util.regex.Pattern.quote(problem), -1)).as(r.err()).hasSize(2);
    }

    @Test
    void demoWithoutTheAcmeCatalogFailsBeforeStartingAndLeavesNoTemporaryFolder() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        java.util.Set<Path> before;
        try (var list = Files.list(tmp)) {
            before = list.filter(p -> p.getFileName().toString().startsWith("candor-demo-")).collect(java.util.stream.Collectors.toSet());
        }
        Run r = candor("serve", "--demo", "--host", "127.0.0.1", "--port", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("candor serve: --demo plays the acme example app, so the collector needs its catalog");
        assertThat(r.out()).doesNotContain("listening");
        try (var list = Files.list(tmp)) {
            assertThat(list.filter(p -> p.getFileName().toString().startsWith("candor-demo-"))).isSubsetOf(before);
        }
    }
}
