package dev.candor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.server.testing.AcmeReports;
import dev.candor.server.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --db} mistakes an operator makes, on a real PostgreSQL server: each one line naming the cause and
 * what to do, the right exit code, no stack trace, and nothing changed in the database named.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PostgresMistakesTest {

    private static void assertOneLineWithoutTrace(ServeCommandTest.Run r) {
        assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static List<String> tables(String url) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables "
                        + "WHERE table_schema = current_schema() ORDER BY table_name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** Flyway's own refusal advised "baseline()" or "baselineOnMigrate", which would mix Candor's tables into it. */
    @Test
    void aDatabaseOfAnotherProgramIsRefusedAndLeftAlone() throws Exception {
        String url = TestPostgres.newDatabase();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE reports (x TEXT)");
            st.execute("CREATE TABLE invoices (x TEXT)");
        }
        String shown = url.substring(0, url.indexOf('?'));
        for (String[] args : new String[][] {
            {"serve", "--host", "127.0.0.1", "--port", "0", "--db", url, "--catalog", AcmeReports.CATALOG.toString()},
            {"rollup", "--db", url},
            {"release", "--db", url},
        }) {
            ServeCommandTest.Run r = ServeCommandTest.candor(args);
            assertThat(r.exit()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("candor " + args[0] + ": " + shown + " holds another program's tables (invoices, "
                    + "reports) and no Candor schema, so it is not a Candor collector's database; give --db a database of "
                    + "its own (CREATE DATABASE candor); nothing was changed in it\n");
            assertOneLineWithoutTrace(r);
            assertThat(tables(url)).containsExactly("invoices", "reports");
        }
    }

    /** The driver could not read these, and the pool said only "No suitable driver". */
    @Test
    void aUrlTheDriverCannotReadIsAUsageError() {
        for (String url : new String[] {"jdbc:postgresql://127.0.0.1:5432", "jdbc:postgresql://db:port/candor?password=s3cret"}) {
            for (String command : new String[] {"serve", "rollup"}) {
                ServeCommandTest.Run r = command.equals("serve")
                        ? ServeCommandTest.candor(command, "--host", "127.0.0.1", "--port", "0", "--db", url)
                        : ServeCommandTest.candor(command, "--db", url);
                assertThat(r.exit()).as(r.err()).isEqualTo(2);
                assertThat(r.err()).startsWith("candor " + command + ": --db \"" + url.replace("?password=s3cret", "")
                        + "\" is not a URL the PostgreSQL driver can read; write it as jdbc:postgresql://HOST:PORT/DATABASE");
                assertThat(r.err()).doesNotContain("s3cret");
                assertOneLineWithoutTrace(r);
            }
        }
    }
}
