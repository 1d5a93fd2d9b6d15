package org.fedcredit.transport.grpc;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.fedcredit.modelzoo.federation.PartyId;

/**
 * A {@link JobAuthorizer} kept in memory: {@link #accept} a job with its parties when the node
 * agrees to take part, {@link #finish} it when it ends. Thread-safe.
 */
public final class AcceptedJobs implements JobAuthorizer {

  private final Map<String, Set<PartyId>> accepted = new ConcurrentHashMap<>();
  private final Set<String> finished = ConcurrentHashMap.newKeySet();

  /** This node takes part in {@code jobId} together with {@code parties} (itself included). */
  public AcceptedJobs accept(String jobId, Set<PartyId> parties) {
    if (finished.contains(jobId)) {
      throw new IllegalStateException(
          "job " + jobId + " has finished and cannot be accepted again");
    }
    accepted.put(jobId, Set.copyOf(parties));
    return this;
  }

  /** {@code jobId} has ended: its messages are refused from now on. */
  public void finish(String jobId) {
    finished.add(jobId);
    accepted.remove(jobId);
  }

  @Override
  public Decision check(String jobId, PartyId sender) {
    Set<PartyId> parties = accepted.get(jobId);
    if (parties == null) {
      return Decision.refuse("job " + jobId + " has not been accepted by this node");
    }
    if (!parties.contains(sender)) {
      return Decision.refuse(
          sender
              + " is not a party of job "
              + jobId
              + "; its parties are "
              + new TreeSet<>(parties));
    }
    return Decision.accept();
  }

  @Override
  public boolean isFinished(String jobId) {
    return finished.contains(jobId);
  }
}
