package org.fedcredit.coordinator.audit.web;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedcredit.coordinator.audit.AuditEntry;
import org.fedcredit.coordinator.audit.AuditLog;
import org.fedcredit.coordinator.audit.EntryText;
import org.fedcredit.coordinator.audit.LogCheck;
import org.fedcredit.coordinator.store.JobRecord;
import org.fedcredit.coordinator.translog.MerkleTree;
import org.fedcredit.coordinator.translog.SignedCheckpoint;

/**
 * The compliance page's HTML: complete documents, one inline style sheet, no scripts, every text
 * escaped. Element ids and classes ({@code #verdict}, {@code #jobs}, {@code section.entry}, …) are
 * stable: the browser test reads them.
 */
final class CompliancePages {
  private CompliancePages() {}

  /** A job of the log page: the store's record if it has one, and its number of entries. */
  record JobRow(String id, Optional<JobRecord> record, long entries) {}

  private static final String STYLE =
      """
      body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;\
      color:#1b1b1b;line-height:1.45}
      h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}h3{font-size:1.05rem;margin:0}
      code,pre,.hash{font-family:ui-monospace,monospace;font-size:.85rem;word-break:break-all}
      pre{white-space:pre-wrap;background:#f4f4f4;padding:.5rem}
      table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .5rem;\
      border-bottom:1px solid #ddd;vertical-align:top}
      dl{display:grid;grid-template-columns:12rem 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
      .ok{color:#0a6b2d}.bad{color:#a4000f}.notice{background:#fff6d6;padding:.5rem}
      #verification.ok{border-left:6px solid #0a6b2d;padding-left:1rem}
      #verification.bad{border-left:6px solid #a4000f;padding-left:1rem}
      section.entry{border:1px solid #ddd;padding:.75rem;margin:.75rem 0}
      .insecure{font-weight:700;color:#a4000f}
      """;

  static String error(String title, String message) {
    return document(
        title,
        "<h1>"
            + esc(title)
            + "</h1><p id=\"message\">"
            + esc(message)
            + "</p>"
            + "<p><a href=\"/audit\">The audit log</a></p>");
  }

  static String log(String publicKey, LogCheck check, List<JobRow> jobs) {
    StringBuilder b = new StringBuilder();
    b.append("<h1>Transparency log</h1>");
    b.append(
        "<p class=\"notice\" id=\"no-login\">Read-only, <strong>no login</strong>: anyone who"
            + " reaches this port can read this page. It listens on 127.0.0.1 unless"
            + " <code>audit.web.host</code> says otherwise; put an authenticating proxy in front"
            + " before exposing it.</p>");
    b.append("<section id=\"log\"><h2>The log</h2><dl>");
    dt(b, "Entries", "size", String.valueOf(check.size()));
    Optional<SignedCheckpoint> cp = check.latest();
    dt(b, "Origin", "origin", cp.map(SignedCheckpoint::origin).orElse("(no checkpoint yet)"));
    dt(
        b,
        "Root (signed)",
        "root",
        cp.map(c -> MerkleTree.hex(c.root()) + " at size " + c.size()).orElse("(none)"));
    if (check.unsigned() > 0) {
      dt(
          b,
          "Not yet signed",
          "unsigned",
          check.unsigned() + " entries after the latest checkpoint");
    }
    b.append("<dt>Log key</dt><dd id=\"public-key\" class=\"hash\">")
        .append(esc(publicKey))
        .append("</dd>");
    b.append("<dt>Latest checkpoint</dt><dd><pre id=\"checkpoint\">")
        .append(esc(cp.map(SignedCheckpoint::note).orElse("(none)")))
        .append("</pre></dd></dl></section>");

    b.append("<section id=\"verification\" class=\"")
        .append(check.ok() ? "ok" : "bad")
        .append("\"><h2>Verification</h2><p id=\"verdict\" class=\"")
        .append(check.ok() ? "ok\">Verified" : "bad\">NOT verified")
        .append("</p><ul id=\"checks\">");
    for (LogCheck.Item i : check.items()) {
      b.append("<li id=\"check-")
          .append(esc(i.id()))
          .append("\" class=\"")
          .append(i.ok() ? "ok" : "bad")
          .append("\"><strong>")
          .append(i.ok() ? "passed" : "FAILED")
          .append("</strong> ")
          .append(esc(i.detail()))
          .append("</li>");
    }
    b.append(
        "</ul><p>These checks are the coordinator checking itself: they catch rows changed in"
            + " its database, but the operator holds both the store and the key. An auditor"
            + " downloads <a id=\"export\" href=\"/audit/export.json\">export.json</a> and runs"
            + " <code>fedcredit audit verify --export export.json --public-key log.pub</code> with"
            + " the log key obtained <strong>out of band</strong> (this server's"
            + " <a id=\"log-pub\" href=\"/audit/log.pub\">log.pub</a> is only a convenience"
            + " copy).</p></section>");

    b.append("<section><h2>Jobs</h2>");
    if (jobs.isEmpty()) {
      b.append("<p id=\"no-jobs\">No jobs yet.</p>");
    } else {
      b.append(
          "<table id=\"jobs\"><thead><tr><th>Job</th><th>Name</th><th>Algorithm</th>"
              + "<th>State</th><th>Audit entries</th></tr></thead><tbody>");
      for (JobRow j : jobs) {
        b.append("<tr><td class=\"job\"><a href=\"/audit/jobs/")
            .append(esc(j.id()))
            .append("\">")
            .append(esc(j.id()))
            .append("</a></td><td class=\"name\">")
            .append(esc(j.record().map(JobRecord::name).orElse("(not in the job store)")))
            .append("</td><td class=\"algorithm\">")
            .append(esc(j.record().map(JobRecord::algorithm).orElse("")))
            .append("</td><td class=\"state\">")
            .append(esc(j.record().map(r -> r.state().name().toLowerCase()).orElse("")))
            .append("</td><td class=\"entries\">")
            .append(j.entries())
            .append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    b.append("</section>");
    return document("Transparency log", b.toString());
  }

  static String job(String id, Optional<JobRecord> job, List<AuditLog.Indexed> entries) {
    StringBuilder b = new StringBuilder();
    b.append("<p><a href=\"/audit\">← The transparency log</a></p>");
    b.append("<h1>Job <span id=\"job-id\">").append(esc(id)).append("</span></h1>");
    job.ifPresent(
        j ->
            b.append("<p id=\"job-summary\">")
                .append(esc(j.name() + " · " + j.algorithm() + " · "))
                .append("<span id=\"job-state\">")
                .append(esc(j.state().name().toLowerCase()))
                .append("</span></p>"));
    if (job.isEmpty()) {
      b.append("<p id=\"job-summary\">This job is in the audit log but not in the job store.</p>");
    }
    if (entries.isEmpty()) {
      b.append(
          "<p id=\"no-entries\">The audit log holds no entry of this job (it ran before the"
              + " coordinator kept an audit log, or its submission failed before it was"
              + " logged).</p>");
    } else {
      b.append("<p>")
          .append(entries.size())
          .append(" audit entries, in log order. Each links to its inclusion proof against the")
          .append(" latest signed checkpoint.</p>");
    }
    for (AuditLog.Indexed i : entries) {
      entry(b, i.index(), i.entry());
    }
    return document("Job " + id + " · audit log", b.toString());
  }

  private static void entry(StringBuilder b, long index, AuditEntry e) {
    b.append("<section class=\"entry ")
        .append(esc(e.type()))
        .append("\" id=\"entry-")
        .append(index)
        .append("\"><h3><span class=\"index\">#")
        .append(index)
        .append("</span> <span class=\"type\">")
        .append(esc(title(e.type())))
        .append("</span> <small class=\"at\">")
        .append(esc(e.at().toString()))
        .append("</small></h3>");
    switch (e.type()) {
      case "job-submitted" -> {
        b.append("<dl>");
        dd(b, "Name", e.text("name"));
        dd(b, "Algorithm", e.text("algorithm"));
        dd(b, "Submitter", e.text("submitter"));
        dd(b, "Parties", String.join(", ", strings(e.fields().get("parties"))));
        dd(b, "Label party", e.text("label_party"));
        ddHash(b, "Spec SHA-256", e.text("spec_sha256"));
        b.append("</dl><details><summary>Spec as submitted</summary><pre class=\"spec\">")
            .append(esc(e.text("spec")))
            .append("</pre></details>");
      }
      case "party-decision" -> {
        b.append("<dl>");
        dd(b, "Party", e.text("party"), "party");
        dd(b, "Decision", e.text("decision"), "decision");
        dd(b, "Reason", e.text("reason"), "reason");
        dd(b, "Dataset", e.text("dataset"));
        dd(b, "Columns", String.join(", ", strings(e.fields().get("columns"))), "columns");
        ddHash(b, "Certificate SHA-256", e.text("certificate_sha256"));
        b.append("</dl>");
      }
      case "psi-completed" -> {
        b.append(
            "<table class=\"psi\"><thead><tr><th>Party</th><th>Aligned rows</th>"
                + "<th>Input rows</th><th>Rows without consent</th></tr></thead><tbody>");
        e.map("parties")
            .forEach(
                (p, c) -> {
                  Map<?, ?> m = c instanceof Map<?, ?> x ? x : Map.of();
                  b.append("<tr><td>")
                      .append(esc(p))
                      .append("</td><td class=\"aligned\">")
                      .append(esc(str(m.get("aligned_rows"))))
                      .append("</td><td>")
                      .append(esc(str(m.get("input_rows"))))
                      .append("</td><td>")
                      .append(esc(str(m.get("rows_without_consent"))))
                      .append("</td></tr>");
                });
        b.append("</tbody></table>");
      }
      case "crypto-round" -> round(b, e);
      case "model-published" -> {
        b.append("<dl>");
        dd(b, "Model", e.text("model"), "model");
        b.append("</dl><table class=\"shards\"><thead><tr><th>Party</th><th>Shard SHA-256</th>")
            .append("</tr></thead><tbody>");
        e.map("shard_sha256")
            .forEach(
                (p, h) ->
                    b.append("<tr><td>")
                        .append(esc(p))
                        .append("</td><td class=\"hash\">")
                        .append(esc(str(h)))
                        .append("</td></tr>"));
        b.append("</tbody></table><details><summary>Metrics</summary><pre>")
            .append(esc(e.text("metrics_json")))
            .append("</pre></details>");
      }
      case "job-ended" -> {
        b.append("<dl>");
        dd(b, "End state", e.text("state"), "end-state");
        dd(b, "Message", e.text("message"));
        b.append("</dl>");
      }
      default -> {
        b.append("<dl>");
        e.fields().forEach((k, v) -> dd(b, k, str(v)));
        b.append("</dl>");
      }
    }
    b.append("<p><a class=\"proof\" href=\"/audit/entries/")
        .append(index)
        .append("/proof\">Inclusion proof of entry ")
        .append(index)
        .append("</a></p></section>");
  }

  private static void round(StringBuilder b, AuditEntry e) {
    Map<String, Object> c = e.map("crypto");
    String scheme = str(c.get("scheme"));
    b.append("<p class=\"round-summary\">Round ")
        .append(esc(e.text("round")))
        .append(" of step ")
        .append(esc(e.text("step")))
        .append(": ")
        .append(esc(EntryText.roundFacts(e)))
        .append("</p>");
    if (scheme.equals("plaintext-insecure")) {
      b.append(
          "<p class=\"insecure\">This round was computed WITHOUT encryption"
              + " (crypto: plaintext-insecure in the job spec).</p>");
    }
    b.append("<dl>");
    dd(b, "Protocol", e.text("protocol"));
    dd(b, "Coordinator's role", e.text("role"));
    dd(b, "Scheme", scheme, "scheme");
    dd(b, "Effective key size", str(c.get("key_bits")) + " bits", "key-bits");
    dd(b, "Short exponent", str(c.get("exponent_bits")) + " bits");
    dd(b, "Key id", str(c.get("key_id")));
    dd(
        b,
        "Engine",
        c.get("kernel")
            + " kernel, "
            + c.get("encryption_path")
            + ", window "
            + c.get("window_bits")
            + " bits, "
            + c.get("threads")
            + " threads, "
            + c.get("library"));
    dd(b, "Encoding / packing", EntryText.encodings(e), "encoding");
    dd(b, "Ciphertext vectors received", String.valueOf(EntryText.vectors(e)), "vectors");
    dd(b, "Ciphertexts received", String.valueOf(EntryText.ciphertexts(e)), "ciphertexts");
    b.append("</dl>");
    List<Map<String, Object>> vectors = EntryText.receivedVectors(e);
    if (!vectors.isEmpty()) {
      b.append(
          "<table class=\"received\"><thead><tr><th>From</th><th>Tag</th><th>Ciphertexts</th>"
              + "<th>Bytes each</th><th>SHA-256 of the ciphertexts as received</th></tr>"
              + "</thead><tbody>");
      for (Map<String, Object> m : vectors) {
        b.append("<tr><td>")
            .append(esc(str(m.get("from"))))
            .append("</td><td>")
            .append(esc(str(m.get("tag"))))
            .append("</td><td>")
            .append(esc(str(m.get("ciphertexts"))))
            .append("</td><td>")
            .append(esc(str(m.get("ciphertext_bytes"))))
            .append("</td><td class=\"hash\">")
            .append(esc(str(m.get("sha256"))))
            .append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    Object sent = e.fields().get("sent");
    if (sent instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof Map<?, ?> m && m.containsKey("key_bits")) {
          b.append("<p class=\"public-key-sent\">Public key ")
              .append(esc(str(m.get("key_id"))))
              .append(" sent to ")
              .append(esc(str(m.get("to"))))
              .append(": ")
              .append(esc(str(m.get("key_bits"))))
              .append("-bit modulus, SHA-256 <span class=\"hash\">")
              .append(esc(str(m.get("sha256"))))
              .append("</span></p>");
        }
      }
    }
    Object dropouts = e.fields().get("dropouts");
    b.append("<p>Sent ")
        .append(sent instanceof List<?> l ? l.size() : 0)
        .append(" messages; dropouts: ")
        .append(
            esc(
                dropouts instanceof List<?> d && !d.isEmpty()
                    ? String.join(", ", strings(d))
                    : "none"))
        .append(".</p>");
  }

  private static String title(String type) {
    return switch (type) {
      case "job-submitted" -> "Job submitted";
      case "party-decision" -> "Party decision";
      case "psi-completed" -> "PSI completed";
      case "crypto-round" -> "Encrypted round";
      case "model-published" -> "Model published";
      case "job-ended" -> "Job ended";
      default -> type;
    };
  }

  private static void dt(StringBuilder b, String term, String id, String value) {
    b.append("<dt>")
        .append(esc(term))
        .append("</dt><dd id=\"")
        .append(id)
        .append("\">")
        .append(esc(value))
        .append("</dd>");
  }

  private static void dd(StringBuilder b, String term, String value) {
    b.append("<dt>").append(esc(term)).append("</dt><dd>").append(esc(value)).append("</dd>");
  }

  private static void dd(StringBuilder b, String term, String value, String cls) {
    b.append("<dt>")
        .append(esc(term))
        .append("</dt><dd class=\"")
        .append(cls)
        .append("\">")
        .append(esc(value))
        .append("</dd>");
  }

  private static void ddHash(StringBuilder b, String term, String value) {
    dd(b, term, value, "hash");
  }

  private static List<String> strings(Object o) {
    return o instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
  }

  private static String str(Object o) {
    return o == null ? "" : String.valueOf(o);
  }

  private static String document(String title, String body) {
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>"
        + esc(title)
        + " · FedCredit</title><style>"
        + STYLE
        + "</style></head><body>"
        + body
        + "</body></html>";
  }

  /** Escapes text for HTML element content and double-quoted attribute values. */
  static String esc(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(ch);
      }
    }
    return out.toString();
  }
}
