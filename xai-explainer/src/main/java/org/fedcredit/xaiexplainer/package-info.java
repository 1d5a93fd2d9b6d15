/**
 * Explanations of credit decisions over plain arrays (no networking, no storage): exact {@link
 * org.fedcredit.xaiexplainer.LinearShap linear SHAP}, path-dependent {@link
 * org.fedcredit.xaiexplainer.TreeShap TreeSHAP} with per-column or per-party-block groups, {@link
 * org.fedcredit.xaiexplainer.ReasonCodes principal reasons} from a {@link
 * org.fedcredit.xaiexplainer.ReasonCodeCatalogue reason-code catalogue} (en + zh, protected
 * attributes never a reason), and {@link org.fedcredit.xaiexplainer.Counterfactuals counterfactual
 * recourse}. Scores are margins (log-odds of default); see docs/xai.md.
 */
package org.fedcredit.xaiexplainer;
