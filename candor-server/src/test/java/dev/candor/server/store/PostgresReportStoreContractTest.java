package dev.candor.server.store;

import dev.candor.server.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

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
            statement.execute("TRUNCATE reports, catalog_versions, work_leases");
        }
        return database;
    }

    @Override
    ReportStore open(String location) {
        return PostgresReportStore.open(location, null, null);
    }
}
