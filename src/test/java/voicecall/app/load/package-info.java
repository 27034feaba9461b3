/** The load-test client for whole conversations: {@link voicecall.app.load.ConversationLoad}. */
@NullMarked
package voicecall.app.load;

import org.jspecify.annotations.NullMarked;
