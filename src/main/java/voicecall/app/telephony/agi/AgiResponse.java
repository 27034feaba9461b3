package voicecall.app.telephony.agi;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asterisk's reply to one AGI command: {@code <status> result=<result> [(<data>)] [extra]}, for
 * example {@code 200 result=0} or {@code 200 result=1 (value)}.
 *
 * @param status the status code: 200 success, 510 invalid command, 511 channel dead, 520 usage
 * @param result the {@code result=} value, empty when absent
 * @param data the text in parentheses or after the result, empty when absent
 */
public record AgiResponse(int status, String result, String data) {

  private static final Pattern LINE =
      Pattern.compile("(\\d{3})(?:[ -](?:result=(\\S*))?\\s*(?:\\((.*)\\))?\\s*(.*))?");

  /**
   * Parses a reply line.
   *
   * @param line e.g. {@code 200 result=1 (timeout)}
   * @return the reply
   * @throws IllegalArgumentException when the line does not start with a 3-digit status
   */
  public static AgiResponse parse(String line) {
    Matcher m = LINE.matcher(line.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not an AGI reply: '" + AgiRequestHeader.abbreviate(line) + "'");
    }
    String paren = m.group(3);
    String rest = m.group(4);
    String data = paren != null ? paren : rest == null ? "" : rest.strip();
    String result = m.group(2);
    return new AgiResponse(Integer.parseInt(m.group(1)), result == null ? "" : result, data);
  }

  /** Returns whether the command succeeded ({@code 200}, and a result that is not -1). */
  public boolean succeeded() {
    return status == 200 && !"-1".equals(result);
  }
}
