/**
 * The bank node's decision pages: the borrower page of one decision ({@code /decisions/{token}},
 * English and Chinese), the credit officer's list and the health probe, on the JDK's HTTP server.
 * {@link org.fedcredit.participantnode.serving.web.DecisionWebServer} is the one entry; see
 * docs/borrower-page.md.
 */
package org.fedcredit.participantnode.serving.web;
