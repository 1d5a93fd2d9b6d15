package org.fedcredit.participantnode.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.fedcredit.participantnode.data.DataFormatException;
import org.fedcredit.participantnode.data.DatasetException;
import org.fedcredit.participantnode.data.JdbcEndpoint;
import org.fedcredit.participantnode.data.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsentRegistryTest {

  static final LocalDate DAY = LocalDate.of(2026, 3, 31);

  @TempDir Path dir;

  Path file(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  @Test
  void expiryIsInclusiveAndScopeMustMatchOrBeStar() throws Exception {
    ConsentRegistry r =
        ConsentRegistry.fromCsv(
            file(
                "consent.csv",
                "enterprise_id,scope,expires\n"
                    + "e1,credit-scoring,2026-03-31\n"
                    + "e2,credit-scoring,2026-03-30\n"
                    + "e3,*,2027-01-01\n"
                    + "e4,marketing,2030-01-01\n"
                    + "\"e,5\",credit-scoring,2030-01-01\n"));
    assertThat(r.size()).isEqualTo(5);
    assertThat(r.permits("e1", "credit-scoring", DAY)).isTrue();
    assertThat(r.permits("e1", "credit-scoring", DAY.plusDays(1))).isFalse();
    assertThat(r.permits("e2", "credit-scoring", DAY)).isFalse();
    assertThat(r.permits("e3", "post-loan", DAY)).isTrue();
    assertThat(r.permits("e4", "credit-scoring", DAY)).isFalse();
    assertThat(r.permits("e,5", "credit-scoring", DAY)).isTrue();
    assertThat(r.permits("unknown", "credit-scoring", DAY)).isFalse();
    assertThat(r.consenting(List.of("e4", "e3", "e2", "e1", "nobody"), "credit-scoring", DAY))
        .containsExactly("e3", "e1");
  }

  @Test
  void csvProblemsNameFileLineAndColumn() throws Exception {
    String h = "enterprise_id,scope,expires\n";
    assertThatThrownBy(() -> ConsentRegistry.fromCsv(file("a.csv", h + "e1,s,2026-02-30\n")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageEndingWith(
            "a.csv:2: column 'expires': '2026-02-30' is not a date; write the last valid day as"
                + " yyyy-mm-dd");
    assertThatThrownBy(
            () -> ConsentRegistry.fromCsv(file("b.csv", h + "e1,s,2026-01-01\n,s,2026-01-01\n")))
        .hasMessageEndingWith(
            "b.csv:3: column 'enterprise_id': empty; every consent names an enterprise");
    assertThatThrownBy(() -> ConsentRegistry.fromCsv(file("c.csv", h + "e1,,2026-01-01\n")))
        .hasMessageContaining("c.csv:2: column 'scope': empty");
    assertThatThrownBy(() -> ConsentRegistry.fromCsv(file("d.csv", h + "e1,s,\n")))
        .hasMessageContaining("d.csv:2: column 'expires': empty");
    assertThatThrownBy(() -> ConsentRegistry.fromCsv(file("e.csv", "enterprise_id,scope\ne1,s\n")))
        .hasMessageContaining("e.csv:1: no column 'expires' in the header [enterprise_id, scope]");
    assertThatThrownBy(
            () -> ConsentRegistry.fromCsv(file("f.csv", h + "e1,s,2026-01-01\ne1,s,2027-01-01\n")))
        .hasMessageContaining(
            "f.csv:3: consent for 'e1' scope 's' is listed twice (first on line 2)");
    assertThatThrownBy(() -> ConsentRegistry.fromCsv(file("g.csv", h + "e1,s\n")))
        .hasMessageContaining("g.csv:2: 2 fields but the header has 3");
    assertThatThrownBy(() -> ConsentRegistry.fromCsv(dir.resolve("missing.csv")))
        .hasMessageContaining("missing.csv: no such file");
  }

  @Test
  void loadsFromPostgresqlWithDateAndTextExpiry() {
    String table = TestPostgres.uniqueTable("consent");
    TestPostgres.execute(
        "create table " + table + " (enterprise_id text, scope text, expires date, note text)",
        "insert into "
            + table
            + " values ('e1', 'credit-scoring', '2026-03-31', null),"
            + " ('e2', 'credit-scoring', '2026-03-30', null), ('e3', '*', '2030-01-01', 'x')");
    try {
      ConsentRegistry r =
          ConsentRegistry.load(
              new ConsentSource.Jdbc(
                  TestPostgres.ENDPOINT, "select enterprise_id, scope, expires from " + table));
      assertThat(r.size()).isEqualTo(3);
      assertThat(r.consenting(List.of("e1", "e2", "e3"), "credit-scoring", DAY))
          .containsExactly("e1", "e3");
      ConsentRegistry text =
          ConsentRegistry.fromJdbc(
              TestPostgres.ENDPOINT,
              "select enterprise_id, scope, expires::text as expires from " + table);
      assertThat(text.permits("e2", "credit-scoring", DAY.minusDays(1))).isTrue();

      TestPostgres.execute("insert into " + table + " values ('e4', 'credit-scoring', null, null)");
      assertThatThrownBy(
              () ->
                  ConsentRegistry.fromJdbc(
                      TestPostgres.ENDPOINT, "select * from " + table + " order by enterprise_id"))
          .isInstanceOf(DatasetException.class)
          .hasMessage(
              "consent registry ("
                  + TestPostgres.URL
                  + "): row 4: column 'expires': empty; give the last valid day as yyyy-mm-dd");
      assertThatThrownBy(
              () ->
                  ConsentRegistry.fromJdbc(
                      TestPostgres.ENDPOINT, "select enterprise_id from " + table))
          .hasMessageContaining("the query returns no column 'scope'; it returns [enterprise_id]");
    } finally {
      TestPostgres.execute("drop table if exists " + table);
    }
  }

  @Test
  void unreachableConsentDatabaseIsAOneLineError() {
    JdbcEndpoint nowhere =
        new JdbcEndpoint(
            "jdbc:postgresql://127.0.0.1:1/test", Optional.of("postgres"), Optional.empty());
    long start = System.nanoTime();
    assertThatThrownBy(() -> ConsentRegistry.fromJdbc(nowhere, "select 1"))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(
            "consent registry: cannot connect to jdbc:postgresql://127.0.0.1:1/test: ");
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(5.0);
  }
}
