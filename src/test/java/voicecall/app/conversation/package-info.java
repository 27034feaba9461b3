/** Tests of the spoken conversation in the application. */
@NullMarked
package voicecall.app.conversation;

import org.jspecify.annotations.NullMarked;
