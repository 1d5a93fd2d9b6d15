package org.fedcredit.participantnode.policy;

import java.nio.file.Path;
import java.util.Objects;
import org.fedcredit.participantnode.data.JdbcEndpoint;

/**
 * Where a node's consent records are kept (the {@code consent} section of the node configuration).
 */
public sealed interface ConsentSource permits ConsentSource.Csv, ConsentSource.Jdbc {

  /** A CSV file with the header {@code enterprise_id,scope,expires}. */
  record Csv(Path file) implements ConsentSource {
    public Csv {
      Objects.requireNonNull(file, "file");
    }
  }

  /** A SQL query returning the columns {@code enterprise_id, scope, expires}. */
  record Jdbc(JdbcEndpoint endpoint, String query) implements ConsentSource {
    public Jdbc {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(query, "query");
    }
  }
}
