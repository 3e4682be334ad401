package dev.candor.server.store;

import dev.candor.server.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The store contract on a real PostgreSQL server (embedded binaries). The class migrates one
 * database and empties its tables before each test, which is much faster than a new database each time.
 */
class PostgresReportStoreContractTest extends ReportStoreContract {
    private static String database;

    @Override
    String newLocation() throws Exception {
        if (database == null) {
            database = TestPostgres.newDatabase();
            PostgresReportStore.open(database, null, null).close();
        }
        try (Connection connection = DriverManager.getConnection(database);
                Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT table_name FROM information_schema.tables "
                    + "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'flyway_schema_history'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            statement.execute("TRUNCATE " + String.join(", ", tables));
        }
        return database;
    }

    @Override
    ReportStore open(String location) {
        return PostgresReportStore.open(location, null, null);
    }
}
