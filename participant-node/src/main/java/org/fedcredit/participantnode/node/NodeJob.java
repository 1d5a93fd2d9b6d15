package org.fedcredit.participantnode.node;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.job.JobSpec;
import org.fedcredit.modelzoo.job.VerticalJobParty;

/** A job this node was asked to join, and how far it got. Mutable; guarded by {@link NodeJobs}. */
final class NodeJob {

  enum State {
    PENDING,
    ACCEPTED,
    FINISHED
  }

  final String jobId;
  final JobSpec spec;
  final String specYaml;
  final PartyId requester;
  final Map<PartyId, String> addresses;
  final Set<PartyId> parties;
  final LocalTable table;
  final List<String> columns;
  volatile State state;
  volatile String finishReason = "";
  VerticalJobParty program;
  Federation federation;

  /** The key holder's record of its encrypted rounds (SecureBoost's bank), for the audit log. */
  org.fedcredit.modelzoo.federation.RecordingFederation recorder;

  AutoCloseable federationHandle;
  volatile Thread runningStep;
  volatile String step = "";
  volatile String progress = "";

  NodeJob(
      String jobId,
      JobSpec spec,
      String specYaml,
      PartyId requester,
      Map<PartyId, String> addresses,
      LocalTable table,
      List<String> columns,
      State state) {
    this.jobId = jobId;
    this.spec = spec;
    this.specYaml = specYaml;
    this.requester = requester;
    this.addresses = Map.copyOf(addresses);
    this.parties = Set.copyOf(addresses.keySet());
    this.table = table;
    this.columns = List.copyOf(columns);
    this.state = state;
  }
}
