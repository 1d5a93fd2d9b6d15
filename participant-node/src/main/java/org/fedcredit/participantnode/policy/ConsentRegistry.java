package org.fedcredit.participantnode.policy;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.fedcredit.participantnode.data.CsvDataSource;
import org.fedcredit.participantnode.data.DataFormatException;
import org.fedcredit.participantnode.data.DatasetException;
import org.fedcredit.participantnode.data.JdbcEndpoint;

/**
 * The enterprises that authorised the use of their data (数据授权使用): one entry per enterprise and
 * scope, valid up to and including its expiry date. Scope {@code *} covers every purpose.
 *
 * <p>The node uses {@link #consenting} as the PSI filter: rows of enterprises without a valid
 * consent for the job's purpose never enter the intersection. An enterprise that is not listed has
 * not consented.
 *
 * <p>Loaded from a CSV file (header {@code enterprise_id,scope,expires}, other columns ignored,
 * dates as ISO {@code yyyy-mm-dd}) or a SQL query returning those columns ({@code expires} as a
 * DATE or ISO text). Every problem — a missing column, an empty field, a bad date, the same
 * enterprise and scope twice — stops the load with a one-line message naming file and line (or
 * query and row) and the column.
 */
public final class ConsentRegistry {

  /** The scope that covers every purpose. */
  public static final String ANY_SCOPE = "*";

  /**
   * One consent.
   *
   * @param expires last day (inclusive) on which the consent is valid
   */
  public record Entry(String enterpriseId, String scope, LocalDate expires) {
    public Entry {
      Objects.requireNonNull(enterpriseId, "enterpriseId");
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(expires, "expires");
    }

    /** Whether this entry covers {@code scope} on {@code today}. */
    public boolean permits(String scope, LocalDate today) {
      return (this.scope.equals(ANY_SCOPE) || this.scope.equals(scope)) && !today.isAfter(expires);
    }
  }

  private static final List<String> COLUMNS = List.of("enterprise_id", "scope", "expires");

  private final Map<String, List<Entry>> byEnterprise;
  private final int size;

  /**
   * @throws IllegalArgumentException if an enterprise and scope appear twice
   */
  public ConsentRegistry(Collection<Entry> entries) {
    Map<String, List<Entry>> m = new HashMap<>();
    for (Entry e : entries) {
      List<Entry> list = m.computeIfAbsent(e.enterpriseId(), k -> new ArrayList<>());
      if (list.stream().anyMatch(x -> x.scope().equals(e.scope()))) {
        throw new IllegalArgumentException(
            "consent for '" + e.enterpriseId() + "' scope '" + e.scope() + "' is listed twice");
      }
      list.add(e);
    }
    m.replaceAll((k, v) -> List.copyOf(v));
    this.byEnterprise = Map.copyOf(m);
    this.size = entries.size();
  }

  /** Loads from the configured source. */
  public static ConsentRegistry load(ConsentSource source) {
    if (source instanceof ConsentSource.Csv csv) {
      return fromCsv(csv.file());
    }
    ConsentSource.Jdbc jdbc = (ConsentSource.Jdbc) source; // the only other variant
    return fromJdbc(jdbc.endpoint(), jdbc.query());
  }

  /**
   * Reads a CSV file with the header {@code enterprise_id,scope,expires}.
   *
   * @throws DataFormatException naming file, line and column
   */
  public static ConsentRegistry fromCsv(Path file) {
    String name = file.toString();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String headerLine = in.readLine();
      if (headerLine == null || headerLine.isBlank()) {
        throw new DataFormatException(
            name,
            1,
            "the file is empty; the first line must be the header enterprise_id,scope,expires");
      }
      List<String> header =
          CsvDataSource.split(headerLine, name, 1).stream().map(String::strip).toList();
      int[] col = new int[COLUMNS.size()];
      for (int k = 0; k < col.length; k++) {
        col[k] = header.indexOf(COLUMNS.get(k));
        if (col[k] < 0) {
          throw new DataFormatException(
              name,
              1,
              "no column '"
                  + COLUMNS.get(k)
                  + "' in the header "
                  + header
                  + "; a consent file has the columns enterprise_id,scope,expires");
        }
      }
      List<Entry> entries = new ArrayList<>();
      Map<String, Integer> firstLine = new HashMap<>();
      String line;
      int lineNo = 1;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isEmpty()) {
          continue;
        }
        List<String> f = CsvDataSource.split(line, name, lineNo);
        if (f.size() != header.size()) {
          throw new DataFormatException(
              name,
              lineNo,
              f.size()
                  + " fields but the header has "
                  + header.size()
                  + "; check for a missing or extra comma");
        }
        String id = f.get(col[0]).strip();
        String scope = f.get(col[1]).strip();
        String expires = f.get(col[2]).strip();
        int at = lineNo;
        Entry e = entry(id, scope, expires, msg -> new DataFormatException(name, at, msg));
        Integer first = firstLine.putIfAbsent(id + "\u0000" + scope, lineNo);
        if (first != null) {
          throw new DataFormatException(
              name,
              lineNo,
              duplicate(id, scope)
                  + " (first on line "
                  + first
                  + "); keep one row per enterprise and scope");
        }
        entries.add(e);
      }
      return new ConsentRegistry(entries);
    } catch (NoSuchFileException e) {
      throw new DataFormatException(
          name, 0, "no such file; check consent.csv.path in the node configuration");
    } catch (CharacterCodingException e) {
      throw new DataFormatException(name, 0, "not valid UTF-8 text; save the file as UTF-8");
    } catch (IOException e) {
      throw new DataFormatException(name, 0, "cannot read the file: " + e.getMessage());
    }
  }

  /**
   * Runs {@code query}, which must return the columns {@code enterprise_id, scope, expires}.
   *
   * @throws DatasetException naming the query's database, the row (1-based) and the column, or the
   *     unreachable database (within {@link JdbcEndpoint#CONNECT_TIMEOUT})
   */
  public static ConsentRegistry fromJdbc(JdbcEndpoint endpoint, String query) {
    String what = "consent registry";
    String source = what + " (" + endpoint.redactedUrl() + ")";
    try (Connection c = endpoint.connect(what);
        Statement st = c.createStatement()) {
      ResultSet rs;
      try {
        rs = st.executeQuery(query);
      } catch (SQLException e) {
        throw new DatasetException(
            source + ": the query failed: " + oneLine(e) + "; check consent.jdbc.query", e);
      }
      try (rs) {
        int[] col = new int[COLUMNS.size()];
        List<String> returned = new ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          returned.add(rs.getMetaData().getColumnLabel(i));
        }
        for (int k = 0; k < col.length; k++) {
          col[k] = returned.indexOf(COLUMNS.get(k)) + 1;
          if (col[k] == 0) {
            throw new DatasetException(
                source
                    + ": the query returns no column '"
                    + COLUMNS.get(k)
                    + "'; it returns "
                    + returned
                    + "; select enterprise_id, scope, expires");
          }
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, Integer> firstRow = new HashMap<>();
        int row = 0;
        while (rs.next()) {
          row++;
          int at = row;
          String id = text(rs.getString(col[0]));
          String scope = text(rs.getString(col[1]));
          Object exp = rs.getObject(col[2]);
          String expires =
              exp instanceof Date d ? d.toLocalDate().toString() : text(rs.getString(col[2]));
          Entry e =
              entry(
                  id,
                  scope,
                  expires,
                  msg -> new DatasetException(source + ": row " + at + ": " + msg));
          Integer first = firstRow.putIfAbsent(id + "\u0000" + scope, row);
          if (first != null) {
            throw new DatasetException(
                source
                    + ": row "
                    + row
                    + ": "
                    + duplicate(id, scope)
                    + " (first in row "
                    + first
                    + ")");
          }
          entries.add(e);
        }
        return new ConsentRegistry(entries);
      }
    } catch (SQLException e) {
      throw new DatasetException(source + ": reading the result failed: " + oneLine(e), e);
    }
  }

  private static Entry entry(
      String id, String scope, String expires, Function<String, RuntimeException> error) {
    if (id.isEmpty()) {
      throw error.apply("column 'enterprise_id': empty; every consent names an enterprise");
    }
    if (scope.isEmpty()) {
      throw error.apply(
          "column 'scope': empty; name the purpose (e.g. credit-scoring) or '*' for every purpose");
    }
    if (expires.isEmpty()) {
      throw error.apply("column 'expires': empty; give the last valid day as yyyy-mm-dd");
    }
    try {
      return new Entry(id, scope, LocalDate.parse(expires));
    } catch (DateTimeParseException e) {
      throw error.apply(
          "column 'expires': '"
              + expires
              + "' is not a date; write the last valid day as yyyy-mm-dd");
    }
  }

  private static String duplicate(String id, String scope) {
    return "consent for '" + id + "' scope '" + scope + "' is listed twice";
  }

  private static String text(String s) {
    return s == null ? "" : s.strip();
  }

  private static String oneLine(SQLException e) {
    String m = e.getMessage() == null ? "no reason given by the driver" : e.getMessage().strip();
    return m.lines().findFirst().orElse("").strip();
  }

  /**
   * Whether {@code enterpriseId} has a consent for {@code scope} (or {@code *}) valid on {@code
   * today}.
   */
  public boolean permits(String enterpriseId, String scope, LocalDate today) {
    return byEnterprise.getOrDefault(enterpriseId, List.of()).stream()
        .anyMatch(e -> e.permits(scope, today));
  }

  /**
   * The ids among {@code ids} that {@link #permits} for {@code scope} on {@code today}, in the
   * iteration order of {@code ids}: the PSI filter.
   */
  public Set<String> consenting(Collection<String> ids, String scope, LocalDate today) {
    Set<String> out = new LinkedHashSet<>();
    for (String id : ids) {
      if (permits(id, scope, today)) {
        out.add(id);
      }
    }
    return Collections.unmodifiableSet(out);
  }

  /** Number of entries. */
  public int size() {
    return size;
  }
}
