package org.fedcredit.participantnode.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.fedcredit.modelzoo.data.LocalTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDataSourceTest {

  @TempDir Path dir;

  Path file(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  @Test
  void readsIdsLabelsFeaturesAndMissingCells() throws Exception {
    Path p = file("bank.csv", "id,y,x0,\"x 1\"\n7,1,0.5,\n8,0,-1e3,\"2\"\n\n");
    LocalTable t = CsvDataSource.read(p, CsvDataSource.Spec.labelled("id", "y"));
    assertThat(t.ids()).containsExactly("7", "8");
    assertThat(t.featureNames()).containsExactly("x0", "x 1");
    assertThat(t.labels()).hasValueSatisfying(y -> assertThat(y).containsExactly(1, 0));
    assertThat(t.value(1, 0)).isEqualTo(-1000.0);
    assertThat(t.value(0, 1)).isNaN();
    assertThat(t.value(1, 1)).isEqualTo(2.0);
  }

  @Test
  void featurePartyFileWithExcludedColumn() throws Exception {
    Path p = file("tax.csv", "id,region,x0\na,1,3\nb,2,4\n");
    LocalTable t =
        CsvDataSource.read(p, new CsvDataSource.Spec("id", Optional.empty(), Set.of("region")));
    assertThat(t.hasLabels()).isFalse();
    assertThat(t.featureNames()).containsExactly("x0");
  }

  @Test
  void categoricalColumnsBecomeIndicatorsAndNoneIsACategory() throws Exception {
    Path p = file("tax.csv", "id,grade,x0\na,B,1\nb,None,2\nc,,3\nd,A,4\n");
    LocalTable t =
        CsvDataSource.read(p, CsvDataSource.Spec.features("id").withCategorical(Set.of("grade")));
    assertThat(t.featureNames()).containsExactly("x0", "grade=A", "grade=B", "grade=None");
    assertThat(t.column(1)).containsExactly(0, 0, 0, 1);
    assertThat(t.column(2)).containsExactly(1, 0, 0, 0);
    assertThat(t.column(3)).containsExactly(0, 1, 0, 0);
    // Without the declaration the text is an error that says how to fix it.
    assertThatThrownBy(() -> CsvDataSource.read(p, CsvDataSource.Spec.features("id")))
        .hasMessageContaining("tax.csv:2: column 'grade': 'B' is not a number")
        .hasMessageContaining("declare it categorical");
    assertThatThrownBy(
            () ->
                CsvDataSource.read(
                    p, CsvDataSource.Spec.features("id").withCategorical(Set.of("region"))))
        .hasMessageContaining("no categorical column 'region'");
  }

  @Test
  void everyMalformationNamesFileLineAndColumn() throws Exception {
    var spec = CsvDataSource.Spec.labelled("id", "y");
    assertThatThrownBy(() -> CsvDataSource.read(file("a.csv", "id,y,x0\n1,0,1\n2,0\n"), spec))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("a.csv:3: 2 fields but the header has 3");
    assertThatThrownBy(() -> CsvDataSource.read(file("b.csv", "id,y,x0\n1,0,1\n1,1,2\n"), spec))
        .hasMessageContaining("b.csv:3: column 'id': duplicate id '1' (first seen on line 2)");
    assertThatThrownBy(() -> CsvDataSource.read(file("c.csv", "id,y,x0\n1,0,abc\n"), spec))
        .hasMessageContaining("c.csv:2: column 'x0': 'abc' is not a number");
    assertThatThrownBy(() -> CsvDataSource.read(file("d.csv", "id,y,x0\n1,yes,1\n"), spec))
        .hasMessageContaining("d.csv:2: column 'y': label 'yes' is not 0 or 1");
    assertThatThrownBy(() -> CsvDataSource.read(file("e.csv", "id,x0\n1,1\n"), spec))
        .hasMessageContaining("e.csv:1: no label column 'y'");
    assertThatThrownBy(() -> CsvDataSource.read(file("f.csv", ""), spec))
        .hasMessageContaining("f.csv:1: the file is empty");
    assertThatThrownBy(() -> CsvDataSource.read(file("g.csv", "id,y,x0\n"), spec))
        .hasMessageContaining("g.csv: the file has a header but no data rows");
    assertThatThrownBy(() -> CsvDataSource.read(file("h.csv", "id,y,x0\n1,0,\"1\n"), spec))
        .hasMessageContaining("h.csv:2: a quoted field is not closed");
    assertThatThrownBy(() -> CsvDataSource.read(file("i.csv", "id,y,y\n1,0,1\n"), spec))
        .hasMessageContaining("i.csv:1: header names column 'y' twice");
    assertThatThrownBy(() -> CsvDataSource.read(dir.resolve("nope.csv"), spec))
        .hasMessageContaining("nope.csv: no such file");
    assertThatThrownBy(() -> CsvDataSource.read(file("j.csv", "id,y,x0\n,0,1\n"), spec))
        .hasMessageContaining("j.csv:2: column 'id': empty id");
  }
}
