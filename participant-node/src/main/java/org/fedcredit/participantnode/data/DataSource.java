package org.fedcredit.participantnode.data;

import java.nio.file.Path;
import java.util.Objects;
import org.fedcredit.modelzoo.data.LocalTable;

/**
 * One dataset a node offers, under an alias that jobs and policy rules name. The node picks the
 * variant from its configuration and calls {@link #load()} when a job needs the data; both variants
 * give the same {@link LocalTable} for the same data (see {@link JdbcDataSource}).
 */
public sealed interface DataSource permits DataSource.CsvSource, DataSource.JdbcSource {

  /** The alias in the node configuration ({@code datasets.<alias>}). */
  String alias();

  /** Which columns are the id, the label, categorical or excluded. */
  CsvDataSource.Spec spec();

  /**
   * Reads the whole dataset.
   *
   * @throws DatasetException with a one-line message naming the dataset and where it went wrong
   */
  LocalTable load();

  /** A CSV file (see {@link CsvDataSource}). */
  record CsvSource(String alias, Path file, CsvDataSource.Spec spec) implements DataSource {
    public CsvSource {
      Objects.requireNonNull(alias, "alias");
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(spec, "spec");
    }

    @Override
    public LocalTable load() {
      return CsvDataSource.read(file, spec);
    }
  }

  /** A SQL query (see {@link JdbcDataSource}). */
  record JdbcSource(String alias, JdbcEndpoint endpoint, String query, CsvDataSource.Spec spec)
      implements DataSource {
    public JdbcSource {
      Objects.requireNonNull(alias, "alias");
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(query, "query");
      Objects.requireNonNull(spec, "spec");
    }

    @Override
    public LocalTable load() {
      return JdbcDataSource.read(alias, endpoint, query, spec);
    }
  }
}
