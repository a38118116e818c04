package io.dynstack.workloads.bench.real;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Runs a SQL script against an in-memory H2 database, one statement per line, as a client sends
 * them; prints the rows of every query, so that runs with and without an agent can be compared.
 * Only H2's classes are woven; this driver uses {@code java.sql} alone.
 *
 * <pre>java -cp h2.jar:dynstack-benchmarks.jar io.dynstack.workloads.bench.real.SqlScript SCRIPT</pre>
 */
public final class SqlScript {

    private SqlScript() {
    }

    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        try (Connection db = DriverManager.getConnection("jdbc:h2:mem:bench");
             Statement statement = db.createStatement()) {
            for (String line : lines) {
                if (!line.isBlank() && statement.execute(line)) {
                    print(statement.getResultSet());
                }
            }
        }
    }

    private static void print(ResultSet rows) throws SQLException {
        int columns = rows.getMetaData().getColumnCount();
        while (rows.next()) {
            StringBuilder row = new StringBuilder();
            for (int c = 1; c <= columns; c++) {
                row.append(c > 1 ? "|" : "").append(rows.getString(c));
            }
            System.out.println(row);
        }
    }
}
