package org.fedcredit.participantnode.node;

import java.util.Map;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.federation.PartyId;

/** Opens the federation endpoint of one job (gRPC with mTLS on a node; in memory in tests). */
public interface JobFederations {

  /** The endpoint for {@code jobId}, talking to the given parties at the given addresses. */
  Opened open(String jobId, Map<PartyId, String> addresses);

  /** A job's endpoint. */
  interface Opened extends AutoCloseable {
    Federation federation();

    /** Wakes every waiting receive with an error carrying {@code reason}. */
    void abort(String reason);

    /** Payload bytes this party sent to each peer so far. */
    Map<String, Long> bytesSent();

    @Override
    void close();
  }
}
