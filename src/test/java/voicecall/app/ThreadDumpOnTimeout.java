package voicecall.app;

import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * When a test fails because a blocking wait for the application timed out, prints every thread's
 * stack to standard error before failing, so a request the server never answered on CI leaves
 * enough behind to find out where it was stuck. The failure itself is passed on unchanged.
 */
public final class ThreadDumpOnTimeout implements TestExecutionExceptionHandler {

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    if (isTimeout(failure)) {
      StringBuilder dump =
          new StringBuilder("thread dump after a timeout in ")
              .append(context.getDisplayName())
              .append('\n');
      for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
        dump.append('"').append(e.getKey().getName()).append("\" ").append(e.getKey().getState());
        for (StackTraceElement frame : e.getValue()) {
          dump.append("\n    at ").append(frame);
        }
        dump.append('\n');
      }
      System.err.println(dump);
    }
    throw failure;
  }

  private static boolean isTimeout(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (t instanceof java.util.concurrent.TimeoutException
          || (message != null && message.contains("Timeout on blocking read"))) {
        return true;
      }
    }
    return false;
  }
}
