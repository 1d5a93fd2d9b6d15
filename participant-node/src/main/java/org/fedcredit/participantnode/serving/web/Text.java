package org.fedcredit.participantnode.serving.web;

/**
 * Every fixed text of the decision pages, in every {@link Language}: adding a text means writing
 * both, so no page can show a half-translated sentence. Texts from the decision itself (reasons,
 * labels, notes) come with the decision. {@code %s} marks where a value goes.
 */
enum Text {
  BRAND("FedCredit", "FedCredit"),
  LANGUAGE_SWITCH("Language", "语言"),
  PAGE_TITLE("Your credit decision", "您的信贷决定"),
  APPLICANT("Application of enterprise %s", "企业 %s 的申请"),
  DECISION("Decision", "决定"),
  OUTCOME_APPROVED("Approved", "已批准"),
  OUTCOME_REFUSED("Not approved", "未获批准"),
  OUTCOME_CANNOT_DECIDE("No decision could be made", "暂时无法作出决定"),
  VERDICT_APPROVED("Your application is approved.", "您的申请已获批准。"),
  VERDICT_REFUSED(
      "We cannot approve your application at this time. Below are the main reasons and what"
          + " would change the outcome.",
      "很遗憾，您的申请暂未获批准。以下是主要原因，以及哪些改变可以让结果不同。"),
  VERDICT_CANNOT_DECIDE(
      "We could not make a decision on your application. This is not a refusal.",
      "我们暂时无法对您的申请作出决定。这并不是拒绝。"),
  SCORE("Credit score", "信用评分"),
  SCORE_VALUE("%s points", "%s 分"),
  BAND("Band %s", "等级 %s"),
  PROBABILITY_OF_DEFAULT("Estimated probability of default", "预计违约概率"),
  REASONS("The main reasons", "主要原因"),
  REASONS_INTRO(
      "These are the characteristics that counted most against your application, the most"
          + " important first.",
      "以下是对您的申请最不利的因素，按重要程度排列。"),
  REASON_CODE("Reason code %s", "原因代码 %s"),
  CHART("What counted, and how much", "各项因素的影响"),
  CHART_INTRO(
      "Each bar is one piece of information the model used. Bars to the right pushed towards"
          + " refusal; bars to the left counted in your favour. Longer bars mattered more.",
      "每一条代表模型使用的一项信息。向右的条形使结果偏向拒绝；向左的条形对您有利。条形越长，影响越大。"),
  TOWARDS_REFUSAL("towards refusal", "偏向拒绝"),
  IN_FAVOUR("in your favour", "对您有利"),
  STRENGTH_STRONG("strong", "影响大"),
  STRENGTH_MODERATE("moderate", "影响中等"),
  STRENGTH_SLIGHT("slight", "影响小"),
  PARTY_BLOCK("shared as one block", "整体信息"),
  PARTY_BLOCK_NOTE(
      "Information marked as one block comes from another institution that shares only its"
          + " combined effect on the decision, never its details or your records with it.",
      "标为“整体信息”的内容来自其他机构：该机构只提供对决定的总体影响，不提供具体明细，也不提供您在该机构的记录。"),
  SUGGESTIONS("What would change the outcome", "怎样可以改变结果"),
  SUGGESTIONS_INTRO(
      "Each suggestion was checked with the same model: with these changes your application"
          + " would have been approved.",
      "每条建议都经过同一模型重新评估：做出这些改变后，您的申请将获得批准。"),
  CHANGE("if your %s were %s instead of %s", "如果您的%s是 %s 而不是 %s"),
  CHANGE_JOINER(" and ", "，并且"),
  SUGGESTION_RESULT(
      ", your score would be %s points (probability of default %s).", "，您的评分将为 %s 分（违约概率 %s）。"),
  ABOUT("About this decision", "关于本决定"),
  MODEL("Model", "模型"),
  MODEL_VALUE("%s, version %s (training job %s)", "%s，版本 %s（训练任务 %s）"),
  AUDIT_LOG("Audit log", "审计日志"),
  MODEL_PROOF("proof that this model was released (transparency log entry)", "该模型发布记录的证明（透明日志条目）"),
  DECIDED_AT("Decided on", "决定时间"),
  PRIVACY(
      "This decision was made with federated learning: the institutions that contributed"
          + " information kept their data on their own systems.",
      "本决定采用联邦学习作出：提供信息的各机构的数据始终保留在各自的系统中。"),
  NOT_FOUND_TITLE("Decision not found", "未找到该决定"),
  NOT_FOUND(
      "There is no decision at this address. Check that you copied the whole link from your"
          + " message.",
      "此地址没有对应的决定。请确认您完整复制了消息中的链接。"),
  BAD_REQUEST_TITLE("Bad request", "请求有误"),
  UNAVAILABLE_TITLE("Temporarily unavailable", "暂时无法访问"),
  UNAVAILABLE(
      "We cannot show decisions right now. Please try again in a few minutes.",
      "目前无法显示决定，请几分钟后再试。"),
  ERROR_TITLE("Something went wrong", "出现错误"),
  ERROR("Something went wrong on our side. Please try again later.", "我们这边出现了问题，请稍后再试。"),
  UNAUTHORIZED_TITLE("Sign-in required", "需要登录"),
  UNAUTHORIZED(
      "The credit officer view needs the officer token (Authorization: Bearer, or Basic with the"
          + " token as password).",
      "信贷员视图需要信贷员令牌（Authorization: Bearer，或以令牌为密码的 Basic 认证）。"),
  OFFICER_TITLE("Recent credit decisions", "近期信贷决定"),
  OFFICER_FILTER("Show", "显示"),
  OFFICER_ALL("All", "全部"),
  OFFICER_EMPTY("No decisions match.", "没有符合条件的决定。"),
  OFFICER_SHOWING("The %s most recent, newest first.", "最近的 %s 条，最新的在前。"),
  COLUMN_TIME("Time (%s)", "时间（%s）"),
  LABEL_SEPARATOR(": ", "："),
  COLUMN_ENTERPRISE("Enterprise", "企业"),
  COLUMN_OUTCOME("Outcome", "结果"),
  COLUMN_SCORE("Score", "评分"),
  COLUMN_BAND("Band", "等级"),
  COLUMN_PD("Probability of default", "违约概率"),
  COLUMN_MODEL("Model", "模型"),
  COLUMN_PAGE("Borrower page", "借款人页面"),
  NONE("—", "—");

  private final String en;
  private final String zh;

  Text(String en, String zh) {
    this.en = en;
    this.zh = zh;
  }

  String in(Language language) {
    return language == Language.ZH ? zh : en;
  }
}
