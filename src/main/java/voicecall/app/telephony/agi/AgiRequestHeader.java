package voicecall.app.telephony.agi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The block of {@code agi_name: value} lines Asterisk sends when an AGI session starts.
 *
 * @param variables every variable, without the {@code agi_} prefix, in arrival order
 */
public record AgiRequestHeader(Map<String, String> variables) {

  /** Keeps an immutable copy. */
  public AgiRequestHeader {
    variables = Map.copyOf(variables);
  }

  /**
   * Parses the header lines (without the terminating blank line).
   *
   * @param lines the lines
   * @return the header
   * @throws IllegalArgumentException naming the first line that is not {@code agi_name: value}
   */
  public static AgiRequestHeader parse(List<String> lines) {
    Map<String, String> vars = new LinkedHashMap<>();
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (!line.startsWith("agi_") || colon < 5) {
        throw new IllegalArgumentException("not an AGI header line: '" + abbreviate(line) + "'");
      }
      vars.put(line.substring(4, colon), line.substring(colon + 1).strip());
    }
    if (vars.isEmpty()) {
      throw new IllegalArgumentException("empty AGI header");
    }
    return new AgiRequestHeader(vars);
  }

  /**
   * One variable.
   *
   * @param name without the {@code agi_} prefix, e.g. {@code uniqueid}
   * @param fallback what to return when it is missing or {@code unknown}
   * @return the value
   */
  public String get(String name, String fallback) {
    String v = variables.get(name);
    return v == null || v.isEmpty() || "unknown".equals(v) ? fallback : v;
  }

  /** Returns the channel's language ({@code agi_language}), {@code en} when absent. */
  public String language() {
    return get("language", "en");
  }

  /** Returns the channel name ({@code agi_channel}). */
  public String channel() {
    return get("channel", "?");
  }

  static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "...";
  }
}
