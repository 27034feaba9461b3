package voicecall.app.telephony;

import java.util.List;

/**
 * An allowed transfer, ready for an adapter to carry out: where the caller goes and the channel
 * variables the agent's screen reads, already cleaned.
 *
 * @param callId the call's id
 * @param context dialplan context
 * @param extension extension
 * @param priority priority
 * @param variables the channel variables, in the order they are set
 */
public record TransferPlan(
    String callId, String context, String extension, int priority, List<Variable> variables) {

  /**
   * One channel variable.
   *
   * @param name its name, e.g. {@code VOICECALL_QUESTION}
   * @param value its value, without line breaks or quotes
   */
  public record Variable(String name, String value) {

    /** Rejects names Asterisk would not take and values that would break a protocol line. */
    public Variable {
      if (!name.matches("[A-Z][A-Z0-9_]*")) {
        throw new IllegalArgumentException("not a channel variable name: " + name);
      }
      if (value.chars().anyMatch(c -> Character.isISOControl(c) || c == '"')) {
        throw new IllegalArgumentException(name + " holds a control character or a quote");
      }
    }
  }

  /** Keeps the variables immutable and the destination complete. */
  public TransferPlan {
    variables = List.copyOf(variables);
    if (callId.isBlank() || context.isBlank() || extension.isBlank() || priority < 1) {
      throw new IllegalArgumentException(
          "a transfer needs a call id, context, extension and priority >= 1");
    }
  }
}
