package voicecall.app.calls;

import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** RFC 9457 problem details for the call endpoints: the controller's refusals carry their own. */
@RestControllerAdvice(assignableTypes = CallsController.class)
class CallsProblems {

  @ExceptionHandler
  ProblemDetail refused(ErrorResponseException e) {
    return e.getBody();
  }
}
