package org.fedcredit.participantnode.data;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedcredit.modelzoo.data.LocalTable;

/**
 * Runs a dataset's SQL query and reads the result into a {@link LocalTable}, with the semantics of
 * {@link CsvDataSource} and the same {@link CsvDataSource.Spec} (id column, optional 0/1 label
 * column, excluded and categorical columns), so that a table gives the same {@code LocalTable} from
 * either source:
 *
 * <ul>
 *   <li>ids are the column's text ({@code getString}), stripped; NULL or empty is an error, a
 *       repeated id is an error;
 *   <li>the label is 0 or 1 as a number, a boolean or the text {@code 0}/{@code 1}; anything else,
 *       NULL included, is an error;
 *   <li>a feature column is numeric: SQL NULL is missing (NaN); numbers and booleans (1/0) are
 *       taken as they are; text must parse as a number as in a CSV cell, an empty text is missing;
 *       dates, binary and other types are errors (cast them in the query);
 *   <li>a column declared categorical is read as text and expanded into indicators exactly like the
 *       CSV source; NULL or empty is missing.
 * </ul>
 *
 * <p>Result column names are matched exactly as the driver reports them (PostgreSQL folds unquoted
 * names to lower case). Rows are streamed with a fetch size, on a read-only connection. Every
 * problem is a one-line {@link DatasetException} naming the dataset alias, the row (1-based) and
 * the column.
 */
public final class JdbcDataSource {

  private static final int FETCH_SIZE = 1000;

  private JdbcDataSource() {}

  /**
   * Connects, runs {@code query} and reads every row.
   *
   * @param alias the dataset alias in the node configuration, for messages
   * @throws DatasetException if the database is unreachable (within {@link
   *     JdbcEndpoint#CONNECT_TIMEOUT}), the query fails or a value is malformed
   */
  public static LocalTable read(
      String alias, JdbcEndpoint endpoint, String query, CsvDataSource.Spec spec) {
    String what = "dataset '" + alias + "'";
    String source = what + " (" + endpoint.redactedUrl() + ")";
    try (Connection c = endpoint.connect(what)) {
      c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
      try (Statement st = c.createStatement()) {
        st.setFetchSize(FETCH_SIZE);
        ResultSet rs;
        try {
          rs = st.executeQuery(query);
        } catch (SQLException e) {
          throw new DatasetException(
              source
                  + ": the query failed: "
                  + JdbcEndpoint.oneLine(e.getMessage())
                  + "; check the query in the node configuration",
              e);
        }
        try (rs) {
          return read(source, rs, spec);
        } finally {
          c.rollback();
        }
      }
    } catch (SQLException e) {
      throw new DatasetException(
          source + ": reading the result failed: " + JdbcEndpoint.oneLine(e.getMessage()), e);
    }
  }

  private static LocalTable read(String source, ResultSet rs, CsvDataSource.Spec spec)
      throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    Map<String, Integer> index = new HashMap<>();
    List<String> header = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      String name = md.getColumnLabel(i);
      header.add(name);
      if (index.put(name, i) != null) {
        throw new DatasetException(
            source + ": the query returns column '" + name + "' twice; give one of them an alias");
      }
    }
    int idCol = require(index, spec.idColumn(), source, "id");
    int labelCol =
        spec.labelColumn().isPresent()
            ? require(index, spec.labelColumn().get(), source, "label")
            : -1;
    for (String c : spec.categorical()) {
      require(index, c, source, "categorical");
    }
    List<Integer> numericCols = new ArrayList<>();
    List<String> numericNames = new ArrayList<>();
    List<Integer> textCols = new ArrayList<>();
    List<String> textNames = new ArrayList<>();
    for (int i = 1; i <= header.size(); i++) {
      String h = header.get(i - 1);
      if (i != idCol && i != labelCol && !spec.exclude().contains(h)) {
        if (spec.categorical().contains(h)) {
          textCols.add(i);
          textNames.add(h);
        } else {
          numericCols.add(i);
          numericNames.add(h);
        }
      }
    }
    TableAssembler table = new TableAssembler(numericNames, textNames, labelCol > 0);
    Map<String, Integer> idRow = new HashMap<>();
    int row = 0;
    while (rs.next()) {
      row++;
      String id = rs.getString(idCol);
      id = id == null ? "" : id.strip();
      if (id.isEmpty()) {
        throw cell(source, row, spec.idColumn(), "empty id (NULL or blank); every row needs an id");
      }
      Integer first = idRow.putIfAbsent(id, row);
      if (first != null) {
        throw cell(
            source,
            row,
            spec.idColumn(),
            "duplicate id '" + id + "' (first seen in row " + first + "); ids must be unique");
      }
      int label = labelCol > 0 ? label(rs.getObject(labelCol), source, row, header, labelCol) : 0;
      double[] values = new double[numericCols.size()];
      for (int k = 0; k < values.length; k++) {
        values[k] = number(rs.getObject(numericCols.get(k)), source, row, numericNames.get(k));
      }
      String[] text = new String[textCols.size()];
      for (int k = 0; k < text.length; k++) {
        String v = rs.getString(textCols.get(k));
        text[k] = v == null ? "" : v.strip();
      }
      table.add(id, label, values, text);
    }
    if (table.rows() == 0) {
      throw new DatasetException(source + ": the query returned no rows");
    }
    return table.build(source);
  }

  private static int label(Object v, String source, int row, List<String> header, int col) {
    String name = header.get(col - 1);
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (d == 0.0 || d == 1.0) {
        return d == 1.0 ? 1 : 0;
      }
    } else if (v != null) {
      String s = v.toString().strip();
      if (s.equals("0") || s.equals("1")) {
        return s.equals("1") ? 1 : 0;
      }
    }
    throw cell(
        source, row, name, "label " + (v == null ? "NULL" : "'" + v + "'") + " is not 0 or 1");
  }

  private static double number(Object v, String source, int row, String column) {
    if (v == null) {
      return Double.NaN;
    }
    if (v instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    if (v instanceof Number n) {
      double d = n instanceof BigDecimal bd ? bd.doubleValue() : n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw cell(
            source,
            row,
            column,
            "'" + v + "' is not a finite number; use NULL for a missing value");
      }
      return d;
    }
    if (v instanceof String s) {
      String t = s.strip();
      if (t.isEmpty()) {
        return Double.NaN;
      }
      try {
        double d = Double.parseDouble(t);
        if (!Double.isNaN(d) && !Double.isInfinite(d)) {
          return d;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw cell(
          source,
          row,
          column,
          "'"
              + t
              + "' is not a number; numeric columns take numbers, numeric text or NULL for a"
              + " missing value; if the column holds categories, declare it categorical");
    }
    throw cell(
        source,
        row,
        column,
        "a value of type "
            + v.getClass().getSimpleName()
            + " is not numeric; cast it to a number in the query or declare the column"
            + " categorical");
  }

  private static DatasetException cell(String source, int row, String column, String message) {
    return new DatasetException(source + ": row " + row + ": column '" + column + "': " + message);
  }

  private static int require(
      Map<String, Integer> index, String column, String source, String role) {
    Integer i = index.get(column);
    if (i == null) {
      Set<String> columns = new LinkedHashSet<>();
      index.entrySet().stream()
          .sorted(Map.Entry.comparingByValue())
          .forEach(e -> columns.add(e.getKey()));
      throw new DatasetException(
          source
              + ": the query returns no "
              + role
              + " column '"
              + column
              + "'; it returns "
              + columns);
    }
    return i;
  }
}
