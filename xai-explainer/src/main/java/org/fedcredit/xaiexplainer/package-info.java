/**
 * Attributions (linear SHAP, TreeSHAP), reason codes, counterfactual recourse and explanation
 * rendering for borrowers.
 *
 * <p>Not built yet: issue 6.
 */
package org.fedcredit.xaiexplainer;
