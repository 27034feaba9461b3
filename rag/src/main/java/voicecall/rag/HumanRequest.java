package voicecall.rag;

import java.util.regex.Pattern;

/**
 * Recognises a caller asking for a person, in Korean or English. Words that only ever mean a person
 * on a service line (상담원, operator, representative) are enough on their own; words with other uses
 * (사람, 직원, person, someone) count only together with a verb of being put through or talking.
 */
final class HumanRequest {

  private static final Pattern ENGLISH_ALWAYS =
      Pattern.compile(
          "\\b(operators?|representatives?|human( being)?s?|live (agent|person|support)|real"
              + " (person|people|human|agent)|customer (service|support) (agent|rep|person))\\b");
  private static final Pattern ENGLISH_PERSON =
      Pattern.compile(
          "\\b(agents?|person|people|someone|somebody|staff|reps?|employee|advisor|adviser|customer"
              + " (service|support|care)|support team|help ?desk|call cent(er|re))\\b");
  private static final Pattern ENGLISH_CONNECT =
      Pattern.compile(
          "\\b(talk|speak|speaking|chat|connect|transfer|put me (through|on)|get me|give me|"
              + "patch me|reach|want|need|let me)\\b");

  private static final Pattern KOREAN_ALWAYS =
      Pattern.compile("(상담원|상담사|상담 ?직원|교환원|콜센터 ?직원|사람 ?상담|상담 ?받)");
  private static final Pattern KOREAN_PERSON =
      Pattern.compile("(사람|직원|담당자|매니저|상담|누구|고객 ?센터|콜 ?센터)");
  private static final Pattern KOREAN_CONNECT =
      Pattern.compile("(연결|바꿔|바꾸어|통화|얘기|이야기|말하|말할|대화|넘겨|돌려)");

  private HumanRequest() {}

  /**
   * Whether the text asks for a person.
   *
   * @param normalised lower-cased text with collapsed spaces
   * @return true for a request to talk to a human
   */
  static boolean isAskedFor(String normalised) {
    if (KOREAN_ALWAYS.matcher(normalised).find() || ENGLISH_ALWAYS.matcher(normalised).find()) {
      return true;
    }
    if (KOREAN_PERSON.matcher(normalised).find() && KOREAN_CONNECT.matcher(normalised).find()) {
      return true;
    }
    return ENGLISH_PERSON.matcher(normalised).find() && ENGLISH_CONNECT.matcher(normalised).find();
  }
}
