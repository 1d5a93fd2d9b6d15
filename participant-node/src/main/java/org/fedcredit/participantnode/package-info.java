/**
 * The daemon each institution runs: data connectors, column policy, consent registry, gRPC
 * federation endpoint, task runner, model shards and online scoring.
 *
 * <p>Not built yet: issue 4 ({@code fedcredit node} says so).
 */
package org.fedcredit.participantnode;
