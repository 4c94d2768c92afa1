### What is wrong with a value, by the code the rules give it (see
### src/domain/problem.rs): `err_<code>`, with the code's parameters.
### Shown under a field or beside an imported row, so: short, and saying
### what to do.

err_required = This field is required.
err_too_short = Too short: { $min } characters at least.
err_too_long = Too long: { $max } characters at most.
err_control_characters = Remove the invisible characters (tabs, line breaks).
err_invalid_url = Give a full web address, starting with https://
err_invalid_email = “{ $value }” is not a valid email address.
err_undeliverable_email = Convive cannot write to “{ $value }”: check the address.
err_invalid_language = Choose French or English.
err_capacity_range = Give a number of places between 1 and { $max }, or nothing for no limit.
err_companions_range =
    { $max ->
        [0] No companions allowed.
        [one] { $max } companion at most.
       *[other] { $max } companions at most.
    }
err_no_companions = This event does not take companions.
err_invalid_time_zone = “{ $value }” is not a time zone: choose one from the list.
err_invalid_datetime = Give a date and a time, such as 03/12/2026 08:30.
err_skipped_time = { $value } does not exist ({ $zone }): the clocks skip that hour when summer time starts.
err_ends_before_start = The end must be after the start.
err_deadline_after_start = The answer deadline must be before the start.
err_invalid_duration = “{ $value }” is not a delay we understand: write for example P7D (7 days) or PT2H (2 hours).
err_too_many_nudges = { $max } nudges at most.
err_already_invited = { $email } is already on the guest list.
err_listed_earlier = This address is already listed higher up (line { $line }).
err_already_member = { $email } is already in the community.
err_retention_range = A number of days between 1 and { $max }.
err_invalid_webhook_type = "{ $value }" is not an event type Convive sends.
err_out_of_range = A whole number between { $min } and { $max }.
err_invalid_rule = Pick a rhythm from the list.
err_invalid_date = Give a date, such as 2026-03-04 or 04/03/2026.
err_invalid_role = "{ $value }" is not a role: choose co-organiser or door helper.
err_owner_in_team = This is the address of the event's owner, who runs it already.
err_too_many_questions = { $max } questions at most.
err_too_few_options = Offer at least { $min } choices, one per line.
err_too_many_options = { $max } choices at most.
err_duplicate_key = "{ $value }" is given twice: each question and each choice has its own key.
err_invalid_key = "{ $value }" will not do as a key: up to { $max } characters, lower-case letters without accents, digits, _ or -.
err_invalid_question_kind = "{ $value }" is not a kind of question: pick one from the list.
err_unknown_question = "{ $value }" is not a question of this event.
err_not_an_option = "{ $value }" is not one of the choices offered.
err_one_choice_only = Only one choice, please.
err_yes_or_no = Answer yes or no.
err_invalid_answer = "{ $value }" is not an answer: write yes, no or maybe.
