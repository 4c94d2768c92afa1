### Words of the guest pages (page-templates/).
###
### Every message exists in fr and en with the same variables (a test checks).
### Values are plain text: pages are HTML-escaped, so no markup here.
### Templates read messages without variables as `t.key`, and any message as
### `tr("key", name=value, …)`; `t.key` fills a variable with its old
### placeholder (`{name}`) for `| replace("{name}", …)`.
### French typography: a no-break space (U+00A0) before : ; ! ? and inside « ».

site_name = Convive
skip_to_content = Skip to content
footer = Convive: answer an invitation without creating an account.

## Greeting
greeting = Hello,
greeting_named = Hello { $name },
invited_by = { $host } invites you.

## Event details
when = When
where = Where
time_range = { $start } to { $end }
time_zone_note = ({ $zone } time)
map_link = View on a map
event_cancelled_heading = This event is cancelled
event_cancelled_message = The organiser has cancelled this event: it will not take place. Sorry for the change of plans.

## Answer form (personal invitation page)
answer_heading = Your answer
answer_legend = Will you come?
answer_yes = Yes, I'll be there
answer_no = No, I can't make it
answer_maybe = Maybe
preselected_hint = Your answer is already ticked: just confirm it with the button below.
answers_until = You can change your answer until { $date }.
companions_label = Companions coming with you
companions_hint = Up to { $n }, not counting yourself. Only if you are coming.
comment_label = A note for the organiser (optional)
send_answer = Send my answer
confirm_answer = Confirm my answer
more_answer_questions = Answer the questions, add companions or a comment
more_answer = Add companions or a comment
change_answer = Update my answer
answer_not_saved = Your answer was not saved.
current_answer = Your current answer: { $answer }.
no_answer = You did not answer.
with_one_companion = With one companion.
with_companions = With { $n } companions.

## Confirmation after answering
saved_yes = Got it, you're coming!
saved_yes_waitlisted = Got it! The event is full for now, so your yes is on the waiting list.
saved_no = Got it: you can't make it. Thank you for letting us know!
saved_maybe = Got it: maybe. You can confirm later on this page.
waitlist_position = You are number { $n } on the waiting list.
waitlist_email = If a seat frees up for you, you will get an email.

## Answers closed
closed_deadline = Answers closed on { $date }: the organiser now has the final list.
closed_draft = Answers are not open yet. Please come back a little later!
closed_cancelled = As the event is cancelled, answers are closed.
closed_generic = Answers can no longer be given on this page.

## Calendar
calendar_heading = Add to your calendar
calendar_ics = Download the event (.ics)
calendar_ics_hint = For Apple Calendar, Outlook, Thunderbird and most calendar apps.
calendar_google = Add to Google Calendar
feed_heading = All your yeses in your calendar
feed_explain = Subscribe once: your calendar will show every event you say yes to, and follow its changes.
feed_link = Subscribe to “My events”
feed_fallback = If the link does not open, add this address to your calendar (option “subscribe to a calendar” or “from URL”):

## Public registration page
register_heading = Register
register_intro = Enter your name and email address: we will send you a link to confirm your registration.
name_label = Your name
email_label = Your email address
honeypot_label = Leave this field empty
register_button = Register
form_has_errors = Please correct the following:
registration_closed = Registration for this event is closed.
registered_heading = Check your inbox.
registered_sent = We sent a confirmation link to { $email }.
registered_pending = Your registration only counts once confirmed: open that link within 48 hours.
registered_spam_hint = Nothing yet? Have a look in your spam folder.

## Confirming a registration
confirm_heading = Confirm your registration
confirm_intro = You are about to register for “{ $title }” with these details:
confirm_button = Confirm my registration
confirm_not_you = Not you? Just close this page: nothing is recorded without confirmation.

## Her data (invitation page, forget-me page)
data_heading = Your data
data_explain = For { $host }, Convive keeps your name, your address, your answers and a list of the emails sent to you.
data_download = Download my data (JSON file)
forget_link = Forget me
forget_heading = Erase my data
forget_question = Erase everything { $host } keeps about you in Convive?
forget_explain = Your name, your address and your comments will be erased from all of their invitations, and this link will stop working. Your answers will still be counted, without your name. Nothing not yet sent to you will go.
forget_keep_a_copy = To keep a copy, download your data first.
forget_button = Yes, erase my data
forget_cancel = No, back to my invitation
forget_done = Done: your data at { $host } has been erased. You will get no more emails about these invitations.

## Unsubscribe
unsubscribe_heading = Unsubscribe
unsubscribe_question = Stop receiving emails from { $organiser }?
unsubscribe_explain = You will no longer get their invitations or reminders sent through Convive.
unsubscribe_button = Yes, stop these emails
unsubscribe_done = Done: { $organiser } will not email you through Convive any more.
unsubscribe_series_question = Leave “{ $series }”?
unsubscribe_series_explain = You will not be invited to its dates any more, and its emails stop. The answers you already gave stay.
unsubscribe_series_button = Leave this series
unsubscribe_or_organiser = Or receive nothing more from { $organiser } at all:
unsubscribe_left_series = Done: you have left “{ $series }”, and its emails stop.

## Error pages (heading + message) and form errors, passed by the server
error_not_found_heading = Link not found
error_not_found_message = This link is wrong or has expired. Use the link in the latest email you received, or ask the organiser for a new one.
error_forbidden_heading = This form has expired
error_forbidden_message = The form has expired or came from another site. Reload the page, then try again.
error_too_many_heading = Just a moment, please
error_too_many_message = Too many attempts in a short time. Wait a minute, then try again.
error_gone_heading = Link already used
error_gone_message = This link has already been used or has expired.
error_internal_heading = Oops, something went wrong on our side
error_internal_message = We could not process your request. Please try again in a moment; if it keeps happening, let the organiser know.
error_bad_request_heading = Request not understood
error_bad_request_message = This address could not be read as it is. Check the link, or go back to the previous page and try again.
error_unauthorized_heading = This page is for apps
error_unauthorized_message = This address is part of Convive's API, which answers programs that hold a key. To see your events, open the dashboard.
error_unauthorized_next = Open the dashboard
error_answers_closed = Answers are closed: your answer could not be saved.
error_not_enough_seats = There are not enough seats left for you and your companions. Bring fewer, or answer without companions to join the waiting list.
error_too_many_companions = Maximum number of companions: { $n }.
error_comment_too_long = Your comment is too long: 1,000 characters at most.
error_answer_required = Choose an answer: yes, no or maybe.
error_name_required = Please enter your name.
error_email_invalid = Please enter a valid email address, such as name@example.com.
error_not_open_yet = Answers are not open yet for this event.

## Questions for guests (invitation and registration pages)
questions_heading = A few questions
questions_intro_invitation = If you are not coming, there is no need to answer them.
question_optional = (optional)
question_required = An answer is required.
question_required_if_coming = An answer is required if you are coming or might come.
question_several_hint = Choose as many as apply.
question_yes = Yes
question_no = No
error_questions = Please check your answers to the questions: the problem is shown next to each one.
