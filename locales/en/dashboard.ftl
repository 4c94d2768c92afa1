### Words of the organiser's dashboard (page-templates/dashboard/), all prefixed
### `d_` so that they never clash with the guest pages' words.
###
### Every message exists in fr and en with the same variables (a test checks).
### Values are plain text: pages are HTML-escaped, so no markup here.
### French typography: a no-break space (U+00A0) before : ; ! ? and inside « ».
###
### Messages named from a value, in templates and handlers (keep them complete):
###   d_status_{draft,published,cancelled}      event status
###   d_answer_{yes,no,maybe}                    a guest's answer
###   d_mail_{kind}                              every MailKind::as_str(), with .gender
###   d_mail_status_{pending,sending,sent,failed,skipped}
###   d_import_status_{added,duplicate,invalid}
###   d_language_{fr,en}
### The `d_flash_*`, `d_err_*` and `d_chart_*` messages are for the handlers.

d_site_name = Convive
d_skip_to_content = Skip to content
d_footer = Convive: your invitations, nudges and check-in in one place.
d_colon = :{" "}
d_optional = (optional)
d_choose = Choose…
d_back = Back
d_back_to_event = Back to the event
d_all_events = All my events

## Navigation
d_nav_label = Main menu
d_nav_events = Events
d_nav_webhooks = Webhooks
d_nav_keys = API keys
d_signed_in_as = Signed in as
d_sign_out = Sign out

## Sign-in
d_login_title = Sign in
d_login_intro = Enter your email address: we will send you a sign-in link, no password needed.
d_login_email_label = Your email address
d_login_send = Email me a sign-in link
d_login_send_again = Send another link
d_login_sent = If an account exists for { $email }, a sign-in link is on its way; it works once, for 15 minutes.
d_login_no_email = No email set up? Ask your administrator to run:
d_login_confirm_title = Sign in to Convive
d_login_confirm_intro = One last step: press the button to finish signing in.
d_login_confirm_button = Sign in
d_login_confirm_why = This step stops mail scanners, which open every link, from using yours.
d_setup_title = Welcome to Convive
d_setup_intro = Create the first organiser's account: yours. You will be signed in at once, ready to create your first event.
d_setup_code_label = Setup code
d_setup_code_hint = It is in the server's log, printed at startup (for example ABCD-EFGH-JKMN). It guards this page: without it, nobody else on the network can take over.
d_setup_name_label = Your name
d_setup_name_hint = As your guests will read it.
d_setup_email_label = Your email address
d_setup_email_hint = To sign in again later with a link, no password needed.
d_setup_submit = Create my account
d_setup_errors = The account was not created: fix what is marked below.
d_setup_error_code = This code does not match. Copy the setup code shown in the server's log.
d_setup_error_name = Please enter your name.

## Events list
d_events_title = My events
d_events_caption = Your events, upcoming first
d_new_event = New event
d_events_empty_heading = No events yet
d_events_empty = Create your first event: it stays a draft until you publish it, and nobody gets anything before then.
d_col_event = Event
d_col_date = Date
d_col_status = Status
d_col_invited = Invited
d_col_answered = Answered
d_col_yes = Yes
d_col_maybe = Maybe
d_col_no = No
d_col_seats_left = Seats left
d_unlimited = Unlimited
d_of_capacity = of { $n }
d_status_draft = Draft
d_status_published = Published
d_status_cancelled = Cancelled

## Event form
d_form_new_title = New event
d_form_edit_title = Edit the event
d_form_new_intro = The event stays a draft until you publish it: you can change everything until then.
d_form_has_errors = The event was not saved. Please correct the following:
d_form_create = Create the event
d_form_save = Save changes
d_form_back_without_saving = Back without saving
d_fs_event = The event
d_fs_where = The venue
d_fs_when = The date
d_fs_guests = The guests
d_fs_plan = Nudges and reminders
d_f_title = Title
d_f_description = Description
d_h_description = What guests will read in the invitation: programme, what to bring…
d_f_venue_name = Venue name
d_f_venue_address = Address
d_f_venue_map_url = Map link
d_h_venue_map_url = For example an OpenStreetMap or Google Maps link, starting with https://
d_f_venue_contact = Email of your contact at the venue
d_h_venue_contact = Gets the summary before the event: headcount, names expected, waiting list, catering totals (without the guests' comments).
d_f_starts_at = Starts
d_f_ends_at = Ends
d_f_time_zone = Time zone
d_h_time_zone = The city whose local time the times above are in; the offset shown is the one on the event's date.
d_f_rsvp_deadline = Answer deadline
d_h_rsvp_deadline = Leave empty to close answers at the time set in the plan below.
d_f_capacity = Seats
d_h_capacity = Empty: no limit. Once full, yeses go on a waiting list.
d_f_companions_allowed = Companions per guest
d_h_companions_allowed = 0 if everyone comes alone; 20 at most.
d_f_language = Language of the emails and pages
d_h_language = The one your guests will read everything in.
d_language_fr = Français
d_language_en = English
d_f_open_registration = Open registration
d_h_open_registration = Anyone with the public link can register, after confirming their email address.
d_h_plan = Convive sends the automatic emails for you: nudging those who have not answered, closing answers, reminding those coming, thanking them afterwards.
d_f_nudges = Nudges
d_h_nudges = For those who have not answered. An empty line does not count; all empty, no nudge.
d_f_nudge_maybes = Also nudge those who answered “maybe”
d_f_answers_close = Answers close
d_h_answers_close = After it, guests can no longer answer and nudges stop. Ignored if a deadline is set above.
d_f_reminder = Practical reminder
d_h_reminder = For those coming. Empty: no reminder.
d_f_venue_summary = Summary for the venue
d_h_venue_summary = To you, your co-organisers and the venue contact: who is coming, how many, the catering. Usually with the reminder. Empty: no summary.
d_f_follow_up = Thank-you email
d_h_follow_up = With the album link, if there is one. Empty: no message after the event.
d_f_follow_up_url = Photo album or follow-up link
d_h_follow_up_url = Included in the thank-you email. You can add it later.
d_plan_what_guests_get = What your guests will get
d_plan_after_save = The date of each email will show here once the event is saved.

## One event
d_time_range = { $start } to { $end }
d_event_tools = Event actions
d_edit = Edit
d_preview_emails = Preview emails
d_check_in = Check-in
d_check_in_today = It's today: check guests in
d_results = Results
d_export_csv = Export CSV
d_publish = Publish and send the invitations
d_publish_hint = Every guest on the list gets their invitation; guests added later get theirs at once.
d_cancel_event = Cancel the event and notify guests
d_public_link = Registration link to share
d_public_link_hint = Anyone with this link can register.
d_at_a_glance = At a glance
d_count_invited = Invited
d_count_answered = Answered
d_count_not_answered = Not answered
d_count_yes = Yes
d_count_maybe = Maybe
d_count_no = No
d_count_seats_left = Seats left
d_count_waiting = Waiting list
d_count_came = Came
d_count_walk_ins = Walk-ins
d_count_no_shows = No-shows

## Adding guests
d_add_guests = Add guests
d_import_list_label = Paste a list
d_import_list_hint = One person per line: “First Last <address@example.com>” or just the address.
d_import_file_label = Or import a CSV file
d_import_file_hint = With a header line; the separator and the columns (name, email, language) are detected. A list exported from an event comes back with its answers.
d_import_button = Add to the list
d_import_published_note = The event is published: new guests get their invitation at once.
d_import_result = Import result
d_import_running_title = Import in progress
d_import_running_count = { $done } of { $n } rows written…
d_import_running_elsewhere = Importing { $n } rows…
d_import_running_note = You can leave this page: the import goes on. The guests appear all together at the end, and this page then shows the result.
d_import_failed = The import did not finish: no guest from the list was added. You can import it again.
d_import_added = { $n } added
d_import_duplicates = { $n } already on the list
d_import_invalid = { $n } not valid
# The column of an imported row that a reason is about.
d_import_field =
    { $field ->
        [name] Name
        [language] Language
        [answer] Answer
        [companions] Companions
        [comment] Comment
       *[other] { $field }
    }
# The column of a question, headed by its label.
d_import_question = "{ $label }"
d_import_not_added = Lines not added
d_import_status_added = Added
d_import_status_duplicate = Already invited
d_import_status_invalid = Not valid
d_col_line = Line
d_col_email = Email
d_col_reason = Reason

## Guests table
d_guests = Guests
d_guests_caption = Guests, their answer, their last email and what you can do
d_guests_empty = Nobody is invited yet. Add guests above.
d_col_guest = Guest
d_col_answer = Answer
d_col_comment = Comment
d_col_actions = Actions
d_answer_none = No answer
d_answer_yes = Yes
d_answer_no = No
d_answer_maybe = Maybe
d_plus_one = +1 companion
d_plus_n = +{ $n } companions
d_waitlist_place = Waiting list, no. { $n }
d_no_comment = No comment
d_badge_arrived = Arrived
d_badge_walk_in = Walk-in
d_badge_unsubscribed = Unsubscribed
d_mail_error = Sending error:
d_mail_status_pending = { $kind }: queued
d_mail_status_sending = { $kind }: sending
d_mail_status_sent = { $kind }: sent
d_mail_status_failed = { $kind }: failed
d_mail_status_skipped = { $kind }: not sent
d_mail_invitation = Invitation
    .gender = neuter
d_mail_nudge = Nudge
    .gender = neuter
d_mail_nudge_maybe = Nudge (maybe)
    .gender = neuter
d_mail_waitlisted = Waiting list
    .gender = neuter
d_mail_promoted = Seat freed up
    .gender = neuter
d_mail_reminder = Reminder
    .gender = neuter
d_mail_thank_you = Thank-you
    .gender = neuter
d_mail_missed_you = Sorry we missed you
    .gender = neuter
d_mail_update = Update
    .gender = neuter
d_mail_cancellation = Cancellation
    .gender = neuter
d_mail_organiser_note = Organiser note
    .gender = neuter
d_mail_organiser_digest = Organiser digest
    .gender = neuter
d_mail_registration_confirm = Registration confirmation
    .gender = neuter
d_mail_late_reply = Late answer
    .gender = neuter
d_set_answer_for = Answer for { $name }
d_companions = Companions
d_set = Set
d_resend = Resend invitation
d_to_name = to { $name }
d_remove = Remove

## Check-in
d_checkin_title = Check-in
d_checkin_counts_label = Arrival counts
d_checkin_arrived = arrived
d_checkin_people = people
d_checkin_walk_ins = walk-ins
# Beside the number of guests still expected.
d_checkin_expected = { $n ->
       *[other] expected
    }
d_checkin_search_label = Find a guest (name or email)
d_checkin_search_button = Search
d_checkin_results_for = { $n ->
        [0] No result
        [one] { $n } result
       *[other] { $n } results
    } for “{ $q }”.
d_checkin_show_all = Show everyone
d_checkin_no_match = Nobody matches. Add them as a walk-in below.
d_checkin_none_found = Nobody matches “{ $q }”. Add them as a walk-in below.
d_checkin_no_guests = Nobody is invited to this event yet.
d_check_in_button = Check in
d_undo = Undo
d_undo_for = check-in of { $name }
d_walk_in_heading = Someone not on the list?
d_walk_in_intro = Add them: they become a guest of the event and are checked in at once.
d_walk_in_name = Name
d_walk_in_email = Email address
d_walk_in_email_hint = To send them the thank-you email after the event.
d_walk_in_companions = Companions
d_walk_in_button = Add and check in

## Results
d_results_title = Results
d_results_figures = The figures
d_results_questions = Answers to the questions
d_results_questions_note = Over the guests coming (a “yes” with a seat), as in the summary sent to the venue. Companions are not counted.
d_results_timeline = Answers over time
d_results_no_answers = No answers yet.
d_not_yet = Not known yet
d_chart_caption = Answers over time, and the nudges sent
d_chart_as_table = Show the same figures as a table
d_chart_table_note = The same figures are in a table just after the chart.
d_col_nudges = Nudges sent
d_chart_title = Answers over time
d_chart_nudges = Nudges

## API keys
# The label of the key `convive organiser create` makes, and of a key made
# here without one.
d_key_label_setup = Created at setup
d_key_label_dashboard = Created from the dashboard
d_keys_title = API keys
d_keys_intro = A key lets a script or another tool use the Convive API on your behalf. Revoke it as soon as it is no longer needed.
d_new_key_heading = Your new key
d_new_key_warning = Copy it now: it will not be shown again.
d_new_key_label = Key
d_new_key_usage = Send it in the header
d_create_key_heading = Create a key
d_key_label = Key name
d_key_label_hint = To recognise it later, for example “Club spreadsheet”.
d_create_key = Create the key
d_keys_caption = Your keys
d_keys_empty = You have no keys yet.
d_col_created = Created
d_key_active = Active
d_key_revoked = Revoked
d_revoke = Revoke

## A guest's data (her row's menu)
d_guest_data = Her data (JSON)
d_guest_erase = Erase her data
d_confirm_erase_question = Erase the data of { $name }?
d_confirm_erase_reach = Her name, her address and her comments will be erased from all of your events, and her invitation link will stop working.
d_confirm_erase_kept = Her answers and arrivals will still be counted, without her name, so your results stay right.
d_confirm_erase_final = This cannot be undone: download her data first if you must give it to her.
d_confirm_erase_button = Erase the data of { $name }
d_flash_erased = Her data is erased.

## Retention of guests' data
d_language_title = Your language
d_language_link = Language
d_language_intro = Your dashboard, and the emails Convive sends you (sign-in links, team invitations, venue summaries, notes and digests), are in this language. Guests get theirs in the event's language.
d_language_label = Language
d_language_save = Save
d_language_saved = Your dashboard and your emails are now in this language.
d_retention_title = Keeping guests' data
d_retention_intro = You can have your guests' personal data erased automatically some time after each event, as the principle of limited retention asks.
d_retention_on = Erase guests' data after each event
d_retention_days = Days after the event ends
d_retention_days_hint = Between 1 and { $max } days.
d_retention_what = Their names, addresses and comments are erased, and their links stop working. Answers and arrivals stay counted, without names, so your results stay right.
d_retention_save = Save
d_retention_saved_on = Saved: guests' data will be erased after each event.
d_retention_saved_off = Saved: guests' data is kept.

## Webhooks
d_hooks_title = Webhooks
d_hooks_intro = A webhook tells another tool (your CRM, a Slack channel, a spreadsheet) as soon as a guest answers, arrives or unsubscribes, and when an event is published, changed or cancelled. Convive signs every delivery following the Standard Webhooks specification.
d_hook_create_heading = Add a webhook
d_hook_url = Webhook address
d_hook_url_hint = The address your tool gave you, starting with https://
d_hook_types = What is sent
d_hook_create = Add the webhook
d_hook_secret_heading = This webhook's secret
d_hook_secret_warning = Copy it now: it will never be shown again.
d_hook_secret_label = Secret
d_hook_secret_usage = Give it to your tool: it uses it to check that each delivery really comes from Convive.
d_hooks_caption = Your webhooks
d_hooks_empty = You have no webhook yet.
d_hook_on = Active
d_hook_off = Disabled
d_hook_off_organiser = by you
d_hook_off_gone = its address no longer exists (410)
d_hook_off_failing = a day of failures
d_hook_failing_since = failing since { $since }
d_hook_log = Delivery log
d_hook_test = Send a test event
d_hook_disable = Disable
d_hook_enable = Enable again
d_hook_delete = Delete
d_hook_enabled = The webhook is enabled again.
d_hook_disabled = The webhook is disabled: nothing more is sent to it.
d_hook_deleted = The webhook is deleted, with its log.
d_hook_test_sent = The test event is on its way: its result shows here.
d_hook_resent = The delivery is on its way again.
d_hook_enable_first = Enable this webhook first: while disabled, it gets nothing.
d_confirm_hook_delete_question = Delete this webhook?
d_confirm_hook_delete_reach = Nothing more will be sent to { $url }, and its delivery log will be erased.
d_confirm_hook_delete_instead = To stop it for a while without losing its log, disable it instead.
d_confirm_hook_delete_button = Delete the webhook
d_hook_back = Back to webhooks
d_hook_log_title = Delivery log
d_hook_log_intro = Deliveries of the last 30 days, newest first. A failed delivery is tried again after 5 seconds, 5 minutes, 30 minutes, 2 hours, 5 hours, then 10 hours twice.
d_hook_log_caption = Deliveries
d_hook_log_empty = Nothing has been sent to this webhook yet.
d_hook_col_at = When
d_hook_col_type = What
d_hook_col_code = Response
d_hook_col_duration = Duration
d_hook_col_attempts = Attempts
d_hook_resend = Send again
d_hook_status_pending = Waiting
d_hook_status_sending = Sending
d_hook_status_delivered = Received
d_hook_status_failed = Failed
d_hook_status_skipped = Not sent
d_hook_type_guest_answered = A guest answers or changes her mind
d_hook_type_guest_promoted = A guest gets a seat from the waiting list
d_hook_type_guest_checked_in = A guest arrives
d_hook_type_guest_walked_in = Someone not invited arrives
d_hook_type_registration_confirmed = A registration is confirmed
d_hook_type_event_published = An event is published
d_hook_type_event_changed = An event is changed
d_hook_type_event_cancelled = An event is cancelled
d_hook_type_guest_unsubscribed = Someone unsubscribes from your emails
d_hook_type_webhook_test = Test event

## Email preview
d_preview_title = Email preview
d_preview_intro = This is what your guests will receive, with examples in place of their name and personal link.
d_preview_toc = The emails
d_preview_none = No emails to show.
d_subject = Subject
d_preview_frame_title = { $step }, in { $language }: HTML version
d_preview_text_version = Plain-text version

## Flash messages, for the handlers
d_flash_created = The event is created, as a draft.
d_flash_saved =
    { $n ->
        [0] Changes saved; no email was sent.
        [one] Changes saved: { $n } guest gets the update.
       *[other] Changes saved: { $n } guests get the update.
    }
d_flash_published =
    { $n ->
        [0] The event is published. No invitation was sent: the guest list is empty.
        [one] The event is published: { $n } invitation is on its way.
       *[other] The event is published: { $n } invitations are on their way.
    }
d_flash_published_already = The event was already published: nothing was sent again.
d_flash_cancelled =
    { $n ->
        [0] The event is cancelled; no email was sent.
        [one] The event is cancelled: { $n } guest gets the cancellation.
       *[other] The event is cancelled: { $n } guests get the cancellation.
    }
d_flash_cancelled_already = The event was already cancelled: nothing was sent.
d_flash_answer_set = Answer for { $name } saved.
d_flash_resent = Invitation sent again to { $name }.
d_flash_removed = { $name } is removed from the list.
d_flash_checked_in = { $name } is checked in.
d_flash_undone = Check-in of { $name } undone.
d_flash_walk_in = { $name } is added and checked in.
d_flash_key_revoked = The key “{ $name }” is revoked.
d_flash_signed_out = You are signed out.

## Errors, for the handlers
d_err_required = This field is required.
d_err_too_long = Too long: { $n } characters at most.
d_err_url = Enter a full web address, starting with https://
d_err_email = Enter a valid email address, such as name@example.com.
d_err_datetime = Enter a date and a time.
d_err_time_zone = Choose a time zone from the list.
d_err_language = Choose French or English.
d_err_ends_before_start = The end must be after the start.
d_err_deadline_after_start = The answer deadline must be before the start.
d_err_capacity = Between 1 and 100,000, or empty for no limit.
d_err_companions = Between 0 and 20.
d_err_duration = Duration not understood: write for example P7D (7 days) or PT2H (2 hours).
d_err_too_many_nudges = 10 nudges at most.
d_err_not_enough_seats = There are not enough seats left.
d_err_import_empty = Paste a list or choose a file.
d_err_login_link = This sign-in link has already been used or has expired. Ask for a new one.

d_fs_words = Your words at the top of each email
d_h_words = Optional: a few lines of your own, opening the message; the rest of the email (date, place, buttons) stays the same.
d_f_words_invitation = Invitation
d_f_words_nudge = Nudge
d_f_words_reminder = Reminder the day before
d_f_words_thank_you = Thank-you
d_other_words_summary = { $language ->
    [fr] Your words in French, for guests who read French
   *[en] Your words in English, for guests who read English
}
d_h_other_words = Optional. Without them, these guests get the usual email in their language, without your words: they never read words written in another language than theirs.
d_f_other_words = Other language
d_error_walk_in_name = Enter the person's name.
d_error_walk_in_email = Enter a valid email address, such as name@example.com.
d_error_walk_in_companions = Companions must be between 0 and { $n }.
d_error_not_enough_seats = There are not enough seats left for this guest and their companions: their answer is unchanged.
d_failed_emails =
    { $n ->
        [one] { $n } email could not be sent (see the Status column).
       *[other] { $n } emails could not be sent (see the Status column).
    }
d_resend_failed = Send them again
d_guests_search_label = Find a guest (name or address)
d_pages = Pages of the guest list
d_page_of = Page { $page } of { $pages }
d_page_previous = Previous
d_page_next = Next
d_checkin_more = List shortened ({ $n } more): type a name to find someone.
d_resent =
    { $n ->
        [0] No email to send again.
        [one] { $n } email is back in the sending queue.
       *[other] { $n } emails are back in the sending queue.
    }
d_error_import_empty = The list is empty: paste one address per line, or choose a CSV file.
d_error_companions = Companions must be between 0 and { $n }.
d_error_resend_not_published = The event is not published: publish it first, and the invitation will go out by itself.

## Asking first (an action that sends email or deletes)
d_cancelled_read_only = This event is cancelled: it can no longer be changed, and its guest list stays as it is. Answers, results and the export are still here to read.
d_confirm_publish_question = Publish “{ $title }”?
d_confirm_publish_reach =
    { $n ->
        [0] Publishing sends no invitation: the guest list is empty.
        [one] Publishing sends { $n } invitation, right away.
       *[other] Publishing sends { $n } invitations, right away.
    }
d_confirm_publish_later = Guests you add afterwards get their invitation as soon as they are added.
d_confirm_publish_button =
    { $n ->
        [0] Publish
        [one] Publish and send the invitation
       *[other] Publish and send the { $n } invitations
    }
d_confirm_publish_back = Not now
d_confirm_cancel_question = Cancel “{ $title }”?
d_confirm_cancel_reach =
    { $n ->
        [0] No email will be sent: no guest needs to be told.
        [one] { $n } guest will get the cancellation, with what it takes to remove the event from their calendar.
       *[other] { $n } guests will get the cancellation, with what it takes to remove the event from their calendar.
    }
d_confirm_cancel_draft_reach =
    { $n ->
        [0] The event was never published: no email will be sent.
        [one] The event was never published: no email will be sent.
       *[other] The event was never published: no email will be sent.
    }
d_confirm_cancel_detail = Once cancelled, the event can no longer be changed or published, and the planned nudges and reminders will not be sent.
d_confirm_cancel_declined = Guests who answered “no” get nothing.
d_confirm_cancel_button =
    { $n ->
        [0] Cancel the event
        [one] Cancel and tell { $n } guest
       *[other] Cancel and tell { $n } guests
    }
d_confirm_cancel_back = Keep the event
d_confirm_change_question = Save and tell the guests?
d_confirm_change_reach =
    { $n ->
        [0] No guest will get the update.
        [one] { $n } guest will get the update, and their calendar entry will move.
       *[other] { $n } guests will get the update, and their calendar entries will move.
    }
d_confirm_change_detail = You changed the title, date, time or place: every guest who did not answer “no” gets an email with the new details.
d_confirm_change_button =
    { $n ->
        [0] Save the changes
        [one] Save and tell { $n } guest
       *[other] Save and tell { $n } guests
    }
d_confirm_change_back = Back to the form
d_confirm_remove_question = Remove { $name } from the list?
d_confirm_remove_reach = { $name } will get no more emails about this event, and their answer will be deleted.
d_confirm_remove_detail = Their invitation link will stop working. You can invite them again later; they will get a new link.
d_confirm_remove_arrived = Their arrival will no longer be counted.
d_confirm_remove_button = Remove { $name }

## The reminder plan's presets and steps, time zones by city, removals that free a seat
d_f_plan_preset = The plan
d_preset_usual = As usual
d_preset_usual_hint = Nudges 7 and 3 days before for those who have not answered, answers close 2 days before, a reminder the day before for those coming, a thank-you 2 hours after the end.
d_preset_one_nudge = A single nudge, 3 days before
d_preset_one_nudge_hint = As usual, with one nudge instead of two.
d_preset_no_nudges = No nudges
d_preset_no_nudges_hint = Nobody is nudged; the reminder the day before and the thank-you go out as usual.
d_preset_custom = Your own plan
d_preset_custom_hint = Choose each nudge, the close of answers, the reminder and the thank-you yourself.
d_f_nudge_n = Nudge { $n }
d_step_unit = { $step }: unit
d_unit_days = days
d_unit_hours = hours
d_unit_minutes = minutes
d_unit_seconds = seconds
d_step_before_start = before the start
d_step_after_end = after the end
d_err_step = Enter a whole number, for example 7 days or 2 hours; a year at most.
d_err_step_required = Enter a delay, for example 2 days.
d_err_preset = Choose one of the plans offered.
d_region_common = Most used
d_region_europe = Europe
d_region_america = Americas
d_region_africa = Africa
d_region_asia = Asia
d_region_oceania = Oceania and the Pacific
d_region_indian = Indian Ocean
d_region_atlantic = Atlantic
d_region_polar = Polar regions
d_city_paris = Paris
d_city_brussels = Brussels
d_city_geneva = Geneva
d_city_luxembourg = Luxembourg
d_city_montreal = Montreal
d_city_london = London
d_city_new_york = New York
d_city_casablanca = Casablanca
d_city_dakar = Dakar
d_city_abidjan = Abidjan
d_city_reunion = Réunion
d_city_martinique = Martinique
d_and = {" "}and{" "}
d_confirm_remove_promoted =
    { $n ->
        [one] Their seat goes to { $names }, first on the waiting list.
       *[other] Their seats go to { $names }, first on the waiting list.
    }
d_confirm_remove_promoted_mail =
    { $n ->
        [one] An email tells them at once.
       *[other] An email tells each of them at once.
    }

## The guest list: search and filter by answer, actions in a menu, her personal link
d_guests_search_form = Search the guest list
d_guests_filter_label = Answer
d_filter_all = All
d_filter_yes = Yes
d_filter_no = No
d_filter_maybe = Maybe
d_filter_none = Not answered
d_filter_waiting = Waiting list
d_guests_show = Show
d_guests_matching =
    { $n ->
        [0] Nobody matches.
        [one] { $n } guest matches.
       *[other] { $n } guests match.
    }
d_row_actions = Actions
d_for_name = for { $name }
d_personal_link = Their personal link
d_personal_link_hint = The one in their emails: whoever has it can answer for them. Pass it on to the guest only.
d_copy_link = Copy their personal link
d_link_copied = Link copied
d_count_people = People expected
d_count_people_note = People expected: the “yes” answers holding a seat, and their companions.

## Series
d_nav_series = Series
d_series_title = My series
d_series_intro = A series groups the dates of an event that comes back, and the community invited to each: people met at the door join it for the next date.
d_series_new = New series
d_series_name = Name of the series
d_series_first_date = Its first date
d_series_rule = How often
d_series_rule_monthly = Every month, on the same weekday
d_series_rule_weekly = Every week
d_series_rule_fortnightly = Every two weeks
d_series_create = Create the series
d_series_needs_event = A series starts from one of your events, its first date: create that event first.
d_series_dates = Dates
d_series_next = Add the next date
d_series_next_suggested = Next date suggested
d_series_invite = Invite the community
d_series_community = Community
d_series_no_members = Nobody in the community yet. Import it from a spreadsheet, or let the people who come without an invitation join it.
d_series_bar = { $came } came, of { $invited } on the list
d_series_came_of = { $came } of { $dates }
d_col_came = Came
d_col_member = Member
d_col_attendance = Attendance
d_col_no_shows = No-shows
d_col_late = Late cancellations
d_col_joined = Joined
d_sort_by = Sort by
d_sort_name = name
d_sort_came = who comes most
d_sort_no_shows = no-shows
d_member_left = left
d_joined_imported = imported
d_joined_added = added by you
d_joined_registered = registered
d_joined_walk_in = came without an invitation
d_flash_series_created = The series is created.
d_flash_date_added = The next date is ready, as a draft: check it, then publish it.
d_flash_community_invited =
    { $n ->
        [0] Nobody more to invite: the whole community is on the list.
        [one] { $n } person from the community is on the list.
       *[other] { $n } people from the community are on the list.
    }
d_confirm_invite_question = Invite the community to “{ $title }”?
d_confirm_invite_reach_published =
    { $n ->
        [0] Everyone in the community is already on the list.
        [one] { $n } person joins the list and gets an invitation now.
       *[other] { $n } people join the list and get an invitation now.
    }
d_confirm_invite_reach_draft =
    { $n ->
        [0] Everyone in the community is already on the list.
        [one] { $n } person joins the list; invitations leave when you publish.
       *[other] { $n } people join the list; invitations leave when you publish.
    }
d_confirm_invite_left = Members who left the series, or asked for no more emails from you, are not invited.
d_series_export = Download the community (CSV)

## Series settings and the defaults of new dates
d_series_settings = Series settings
d_series_settings_title = Series settings
d_rule_weekly = Every week
d_rule_every_n_weeks = Every { $n } weeks
d_rule_every_few_weeks = Every N weeks (number below)
d_rule_monthly_same = Every month, on the same weekday
d_rule_monthly_nth = The { $rank } { $weekday } of every month
d_rule_monthly_nth_day = Every month, on the { $rank } of the date's weekday
d_rank_1 = first
d_rank_2 = second
d_rank_3 = third
d_rank_4 = fourth
d_rank_last = last
d_weekday_0 = Monday
d_weekday_1 = Tuesday
d_weekday_2 = Wednesday
d_weekday_3 = Thursday
d_weekday_4 = Friday
d_weekday_5 = Saturday
d_weekday_6 = Sunday
d_series_every = Weeks between two dates
d_series_every_hint = For the "every N weeks" rhythm: 1 to { $max }.
d_series_walk_ins_join = Walk-ins and confirmed registrants join the community
d_series_walk_ins_join_hint = So the person met at the door is invited next time.
d_series_late_hours = Late cancellation: a "yes" turned "no" less than how many hours before the start?
d_series_late_hours_hint = 0 to { $max } hours; 24 by default.
d_defaults_title = Settings of the next dates
d_defaults_intro = Each new date of the series starts from these settings: venue, time and length, time zone, seats, companions, reminders, language and your words. The date shown is a model: its time of day and length are kept, and the day is the one the series' rhythm suggests. Dates already made do not change.
d_defaults_edit = Change the settings of the next dates
d_defaults_save = Save the settings
d_flash_series_saved = Series settings saved.
d_flash_series_defaults_saved = Settings of the next dates saved.
d_flash_series_defaults_from_date = The series' next dates will start from this date's settings.
d_event_duplicate = Duplicate
d_event_duplicate_hint = A draft copy with all its settings, a month later (the series' rhythm for a date of a series).
d_event_duplicate_with_guests = Invite the same people too
d_event_make_series = Make it a series
d_event_use_as_defaults = Use these settings for the next dates
d_flash_duplicated = Draft copy made: check its date and settings, then publish it.
d_series_more_rules = Other rhythms (every three weeks, the last Thursday of the month…) can be picked afterwards in the series settings.
d_event_next_time = For next time
d_event_series_page = See the series
d_series_settings_has_errors = The settings were not saved. Please correct what is pointed out.

## A series' community on the dashboard
d_community_add = Add to the community
d_community_file_hint = With a heading line; the separator and the columns (name, email, language, tags, consent) are detected. Nobody is invited until you ask.
d_community_import = Add to the community
d_community_one = Or one person
d_community_add_one = Add this person
d_member_name = Name (optional)
d_member_tags = Tags
d_member_tags_hint = Optional: separated by commas, e.g. "neighbours, speakers".
d_member_already = { $email } is already in the community (or left it).
d_flash_member_added = { $email } joined the community.
d_flash_member_left = This person is no longer in the community: "Invite the community" will not invite them again.
d_flash_member_back = This person is in the community again.
d_member_consented = Consent
d_member_history = Date by date
d_member_no_history = Not yet on the list of any date.
d_member_at_door = walked in
d_member_invited = invited
d_member_no_answer = No answer
d_member_came = Yes
d_member_no_show = No-show
d_member_late = late cancellation
d_member_not_known = no check-in that day
d_member_leave = Remove from the community
d_member_leave_hint = Answers already given stay; "Invite the community" will not invite them again.
d_member_back = Bring back into the community
d_member_back_hint = They will be invited again by "Invite the community".
d_member_presence = Came
## Running an event together: the team, its roles, its history.
d_role_owner = Owner
d_role_co_organiser = Co-organiser
d_role_door_helper = Door helper
d_role_co_organiser_hint = Everything about guests, answers, emails, check-in and results; not the team, not cancelling.
d_role_door_helper_hint = Only the event's check-in page and walk-ins, on the day itself.
d_team_title = Team
d_team_link = Team
d_team_intro = Invite others to run this event with you. Each gets a link by email; an address without an account gets one on accepting.
d_team_invite_heading = Invite someone
d_team_email = Email address
d_team_role = Role
d_team_invite = Send the invitation
d_team_caption = The team
d_team_accepted = Accepted
d_team_pending = Invitation sent
d_team_remove = Remove
d_team_empty = Nobody else runs this event yet.
d_flash_team_invited = Invitation sent to { $email }.
d_flash_team_role_changed = { $email }'s role has changed.
d_flash_team_removed = { $email } is no longer on the team.
d_team_accept_title = Join the team
d_team_accept_intro = { $name } invites you to join this event's team. Your role: { $role }.
d_team_accept_name = Your name
d_team_accept_name_hint = As the team will see it. Your account will be { $email }'s.
d_team_accept_button = Accept and sign in
d_back_to_series = Back to the series
d_series_team_link = Team
d_series_team_intro = Invite others to run this series with you: their role holds on the series and on each of its dates, past and future. Each gets a link by email; an address without an account gets one by accepting.
d_series_team_empty = Nobody else runs this series yet.
d_series_role_co_organiser_hint = The series, its community, its defaults, the next dates and everything about their guests; not the team, not deleting.
d_series_role_door_helper_hint = Only the check-in page of each date of the series, on the day; nothing else of the series.
d_series_team_accept_intro = { $name } invites you to join the team of this series and all its dates. Your role: { $role }.
d_shared_heading = Events shared with you
d_shared_none = No event is shared with you.
d_door_link = Check-in
d_door_closed = Check-in opens on the day.
d_activity_heading = Who did what
d_activity_empty = Nothing has been done by hand on this event yet.
d_activity_unknown = Deleted account
d_activity_answer_set = set { $subject }'s answer
d_activity_checked_in = checked { $subject } in
d_activity_check_in_undone = undid { $subject }'s check-in
d_activity_walk_in = added { $subject } at the door
d_activity_edited = edited the event
d_activity_published = published the event
d_activity_cancelled = cancelled the event
d_activity_guest_removed = removed { $subject } from the list
d_activity_team_invited = invited { $subject } to the team
d_activity_team_removed = removed { $subject } from the team
d_door_list_link = List to print
d_door_list_title = Door list
d_door_list_print = Print
d_door_list_intro = { $n } people expected, companions included. Tick on arrival.
d_door_list_col_came = Came
d_door_list_col_name = Name
d_door_list_col_party = Ppl
d_door_list_col_note = Note
d_door_list_waiting = Waiting list
d_door_list_empty = Nobody has said yes yet.
d_activity_erased_guest = someone whose data was erased
# Calendar replies to check (the Yes / Maybe / No buttons of mail apps)
d_replies_title = Replies to check
d_replies_intro = These answers came from your guests' calendars (the Yes, Maybe or No button of their mail app), but Convive did not apply them on its own: check each one, then apply it or discard it.
d_replies_none = No replies to check for now.
d_replies_from = Sent by
d_replies_attendee = On behalf of
d_replies_proposed = Proposed time
d_replies_comment = Message
d_replies_event = See the event
d_replies_apply = Apply this answer
d_replies_discard = Discard
d_replies_applied = The answer is applied.
d_replies_discarded = The answer is discarded; nothing changed.
d_replies_answer_yes = yes
d_replies_answer_no = no
d_replies_answer_maybe = maybe
d_replies_reason_other_sender = Sent from another address than the guest's.
d_replies_reason_someone_else = Someone else wants to come: the invitation was forwarded to them, and they are the one answering.
d_replies_reason_unknown_guest = The reply address matches no invitation: it may have been made up.
d_replies_reason_counter = The guest proposes another time.
d_replies_reason_delegated = The guest hands their place to someone else.
d_replies_reason_too_late = Arrived after the RSVP deadline.
d_replies_reason_full = The event is full: there was no seat left for this yes.
d_replies_reason_other_event = This reply is about another event than their invitation.
d_replies_reason_no_attendee = The reply does not say who is answering.
d_replies_invitation_of = Invitation forwarded by

d_replies_auth = Sender checks
d_replies_reason_auth_failed = Authentication failed: nothing proves this reply comes from the guest's address (no valid DKIM signature from her domain).
auth_no_signature = No DKIM signature: nothing proves who sent this message.
auth_signature_pass = DKIM signature of { $domain }: valid.
auth_signature_unaligned = DKIM signature of { $domain }: valid, but not the sender's domain.
auth_signature_temperror = DKIM signature of { $domain }: cannot be checked for now (the DNS did not answer).
auth_signature_fail = DKIM signature of { $domain }: invalid (the message was changed on the way, or the key does not match).
auth_dmarc_pass = DMARC of { $domain }: passed.
auth_dmarc_fail = DMARC of { $domain }: failed (this domain asks for "{ $policy }" for such messages).
auth_dmarc_temperror = DMARC of { $domain }: cannot be checked for now.
auth_dmarc_none = { $domain } publishes no DMARC policy.
d_health_title = Mail health
d_health_link = Mail health (SPF, DKIM, DMARC)
d_health_intro = Gmail, Outlook and other mailboxes check that email sent in the name of { $domain } really comes from you. Here is what this domain publishes in the DNS, and what to add.
d_health_all_good = All set: mailboxes can verify your email.
d_health_to_fix = { $count ->
    [one] One thing to fix: publish the record shown at your domain's DNS host.
   *[other] { $count } things to fix: publish the records shown at your domain's DNS host.
}
d_health_spf = SPF: the servers allowed to send
d_health_dkim = DKIM: your email's signature
d_health_dmarc = DMARC: the instruction to mailboxes
d_health_status_ok = In place
d_health_status_missing = Missing
d_health_status_mismatch = Does not match Convive's key
d_health_status_no_key = Convive does not sign its email yet
d_health_status_unreachable = The DNS did not answer
d_health_found = Found
d_health_publish = TXT record to publish
d_health_name = Name
d_health_value = Value
d_health_no_key_help = Make a key with "convive dkim generate", set dkim_private_key and dkim_selector, then publish the record the command prints.
d_health_test = Test email
d_health_test_help = It goes through the mail queue, signed like your invitations. Open it, then its details ("Show original" in Gmail): DKIM should say "PASS".
d_health_send_test = Send me a test email
d_health_test_sent = A test email is on its way to { $email }.

# The question editor of the event form (and of a series' defaults).
d_fs_questions = Questions for your guests
d_h_questions = Beyond yes or no: a dietary need, a company, whether they would like to speak. Your guests answer them on their page, with their answer.
d_q_none = No questions yet: your guests only answer yes, no or maybe.
d_q_legend = Question { $n }
d_q_of = question { $n }
d_q_kind = Kind of answer
d_q_kind_short_text = Short answer
d_q_kind_long_text = Free text
d_q_kind_one_choice = One choice among several
d_q_kind_several_choices = Several choices allowed
d_q_kind_yes_no = Yes or no
d_q_label_fr = Label in French
d_q_label_en = Label in English
d_h_q_labels = One of them may stay empty: your guests then read the other.
d_q_required = Answer required
d_h_q_required = For those who come or may come; someone who says no is asked nothing more.
d_q_options_fr = Choices in French
d_q_options_en = Choices in English
d_h_q_options = For “One choice among several” and “Several choices allowed”: one choice per line, two at least. A list left empty takes the other's, line by line.
d_q_add = Add a question
d_q_up = Move up
d_q_down = Move down
d_q_remove = Remove
d_q_answered = { $n ->
        [one] 1 guest has already answered this question.
       *[other] { $n } guests have already answered this question.
    } If you remove it, or one of its choices, the answers already given will no longer appear in the results or the export. Rewording a label keeps the answers.
d_err_question_label = Give a label, in French or in English.
d_err_question_option = Choice { $n }: { $problem }
# The event page: the questions the event asks.
d_event_questions = Questions asked of your guests
d_event_questions_none = No questions: your guests only answer yes, no or maybe.
d_event_questions_edit = Edit the questions
d_q_is_required = required
d_q_is_optional = optional
