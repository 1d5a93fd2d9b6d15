package org.fedcredit.participantnode.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.fedcredit.modelzoo.data.LocalTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs against the real PostgreSQL of {@link TestPostgres}; each test owns a fresh table. */
class JdbcDataSourceTest {

  @TempDir Path dir;
  String table;

  @BeforeEach
  void createTable() {
    table = TestPostgres.uniqueTable("jdbc_source");
    TestPostgres.execute(
        "create table "
            + table
            + " (id text, y integer, x0 double precision, x1 numeric(12,4), flag boolean,"
            + " industry text, note text)",
        "insert into "
            + table
            + " values"
            + " ('7', 1, 0.5, null, true, 'retail', 'a'),"
            + " ('8', 0, -1e3, 2, false, 'None', 'b'),"
            + " ('9', 0, null, 0.1, null, null, 'c'),"
            + " ('10', 1, 3.25, -7.5, true, 'agri', 'd')");
  }

  @AfterEach
  void dropTable() {
    TestPostgres.execute("drop table if exists " + table);
  }

  CsvDataSource.Spec spec() {
    return new CsvDataSource.Spec("id", Optional.of("y"), Set.of("note"), Set.of("industry"));
  }

  @Test
  void equalsTheCsvSourceOnTheSameData() throws Exception {
    Path csv = dir.resolve("same.csv");
    Files.writeString(
        csv,
        "id,y,x0,x1,flag,industry,note\n"
            + "7,1,0.5,,1,retail,a\n"
            + "8,0,-1e3,2,0,None,b\n"
            + "9,0,,0.1,,,c\n"
            + "10,1,3.25,-7.5,1,agri,d\n");
    LocalTable fromCsv = CsvDataSource.read(csv, spec());
    LocalTable fromDb =
        JdbcDataSource.read(
            "invoices",
            TestPostgres.ENDPOINT,
            "select * from " + table + " order by y desc, id",
            spec());

    // different row order in the query: compare after ordering both by id
    LocalTable db = fromDb.select(orderOf(fromDb, fromCsv), "db");
    assertThat(db).isEqualTo(fromCsv);
    assertThat(db.featureNames())
        .containsExactly("x0", "x1", "flag", "industry=None", "industry=agri", "industry=retail");
    assertThat(db.ids()).containsExactly("7", "8", "9", "10");
    assertThat(db.labels()).hasValueSatisfying(y -> assertThat(y).containsExactly(1, 0, 0, 1));
    assertThat(db.value(0, 1)).isNaN(); // NULL numeric
    assertThat(db.value(2, 0)).isNaN(); // NULL double
    assertThat(db.value(2, 2)).isNaN(); // NULL boolean
    assertThat(db.value(2, 1)).isEqualTo(0.1);
    assertThat(db.column(3)).containsExactly(0, 1, 0, 0); // 'None' is a category
    assertThat(db.column(5)).containsExactly(1, 0, 0, 0);
    assertThat(fromDb.source()).isEqualTo("dataset 'invoices' (" + TestPostgres.URL + ")");
  }

  private static int[] orderOf(LocalTable t, LocalTable reference) {
    return reference.ids().stream().mapToInt(id -> t.ids().indexOf(id)).toArray();
  }

  @Test
  void featurePartyWithoutLabelAndWithACastInTheQuery() {
    LocalTable t =
        JdbcDataSource.read(
            "invoices",
            TestPostgres.ENDPOINT,
            "select id, x0, x1::text as x1_text from " + table + " order by id",
            CsvDataSource.Spec.features("id"));
    assertThat(t.hasLabels()).isFalse();
    assertThat(t.featureNames()).containsExactly("x0", "x1_text");
    assertThat(t.ids()).containsExactly("10", "7", "8", "9");
    assertThat(t.value(3, 1)).isEqualTo(0.1); // numeric text parses as in a CSV cell
    assertThat(t.value(1, 1)).isNaN();
  }

  @Test
  void textInANumericColumnNamesDatasetRowAndColumn() {
    assertThatThrownBy(
            () ->
                JdbcDataSource.read(
                    "invoices",
                    TestPostgres.ENDPOINT,
                    "select id, industry from " + table + " order by x0 nulls first",
                    CsvDataSource.Spec.features("id")))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith("dataset 'invoices' (" + TestPostgres.URL + "): row 2:")
        .hasMessageContaining("column 'industry': 'None' is not a number")
        .hasMessageContaining("declare it categorical");
  }

  @Test
  void duplicateAndMissingIdsAreErrors() {
    TestPostgres.execute("insert into " + table + " values ('8', 1, 1, 1, true, 'x', 'e')");
    assertThatThrownBy(
            () ->
                JdbcDataSource.read(
                    "invoices",
                    TestPostgres.ENDPOINT,
                    "select id, x0 from " + table + " order by note",
                    CsvDataSource.Spec.features("id")))
        .hasMessage(
            "dataset 'invoices' ("
                + TestPostgres.URL
                + "): row 5: column 'id': duplicate id '8' (first seen in row 2); ids must be"
                + " unique");
    assertThatThrownBy(
            () ->
                JdbcDataSource.read(
                    "invoices",
                    TestPostgres.ENDPOINT,
                    "select null::text as id, x0 from " + table,
                    CsvDataSource.Spec.features("id")))
        .hasMessageContaining("row 1: column 'id': empty id");
  }

  @Test
  void badLabelsColumnsAndQueriesAreOneLineErrors() {
    String url = TestPostgres.URL;
    assertThatThrownBy(
            () ->
                JdbcDataSource.read(
                    "bank",
                    TestPostgres.ENDPOINT,
                    "select id, x0 as y from " + table + " order by id",
                    CsvDataSource.Spec.labelled("id", "y")))
        .hasMessage("dataset 'bank' (" + url + "): row 1: column 'y': label '3.25' is not 0 or 1");
    assertThatThrownBy(
            () ->
                JdbcDataSource.read(
                    "bank",
                    TestPostgres.ENDPOINT,
                    "select id, x0 from " + table,
                    CsvDataSource.Spec.labelled("id", "y")))
        .hasMessage(
            "dataset 'bank' ("
                + url
                + "): the query returns no label column 'y'; it returns [id, x0]");
    assertThatThrownBy(
            () ->
                JdbcDataSource.read(
                    "bank",
                    TestPostgres.ENDPOINT,
                    "select id, current_date as d from " + table,
                    CsvDataSource.Spec.features("id")))
        .hasMessageContaining("row 1: column 'd': a value of type Date is not numeric");
    assertThatThrownBy(
            () ->
                JdbcDataSource.read(
                    "bank",
                    TestPostgres.ENDPOINT,
                    "select id, x0 from " + table + " where false",
                    CsvDataSource.Spec.features("id")))
        .hasMessage("dataset 'bank' (" + url + "): the query returned no rows");
    assertThatThrownBy(
            () ->
                JdbcDataSource.read(
                    "bank",
                    TestPostgres.ENDPOINT,
                    "select id, nope from " + table,
                    CsvDataSource.Spec.features("id")))
        .hasMessageStartingWith(
            "dataset 'bank' (" + url + "): the query failed: ERROR: column \"nope\" does not exist")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void anUnreachableDatabaseFailsWithinSecondsNamingUrlAndDataset() {
    JdbcEndpoint nowhere =
        new JdbcEndpoint(
            "jdbc:postgresql://127.0.0.1:1/test?password=secret",
            Optional.of("postgres"),
            Optional.empty());
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                new DataSource.JdbcSource(
                        "invoices", nowhere, "select 1 as id", CsvDataSource.Spec.features("id"))
                    .load())
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(
            "dataset 'invoices': cannot connect to jdbc:postgresql://127.0.0.1:1/test: ")
        .hasMessageContaining("check that the database is running")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("secret"));
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(5.0);
  }

  @Test
  void aServerThatNeverAnswersIsGivenUpAfterTheConnectTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      JdbcEndpoint endpoint =
          new JdbcEndpoint(
              "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/test",
              Optional.of("postgres"),
              Optional.empty());
      long start = System.nanoTime();
      assertThatThrownBy(
              () ->
                  JdbcDataSource.read(
                      "power", endpoint, "select 1 as id", CsvDataSource.Spec.features("id")))
          .isInstanceOf(DatasetException.class)
          .hasMessageStartingWith(
              "dataset 'power': cannot connect to jdbc:postgresql://127.0.0.1:"
                  + silent.getLocalPort()
                  + "/test: ")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(seconds).isGreaterThan(3.5).isLessThan(5.0);
    }
  }

  @Test
  void theCsvVariantLoadsTheFile() throws Exception {
    Path csv = dir.resolve("t.csv");
    Files.writeString(csv, "id,x0\na,1\n");
    DataSource s = new DataSource.CsvSource("tax", csv, CsvDataSource.Spec.features("id"));
    assertThat(s.load().ids()).containsExactly("a");
    assertThat(s.alias()).isEqualTo("tax");
  }
}
