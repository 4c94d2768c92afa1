### Words of the guest pages (page-templates/).
###
### Every message exists in fr and en with the same variables (a test checks).
### Values are plain text: pages are HTML-escaped, so no markup here.
### Templates read messages without variables as `t.key`, and any message as
### `tr("key", name=value, …)`; `t.key` fills a variable with its old
### placeholder (`{name}`) for `| replace("{name}", …)`.
### French typography: a no-break space (U+00A0) before : ; ! ? and inside « ».

site_name = Convive
skip_to_content = Aller au contenu
footer = Convive : répondre à une invitation, sans créer de compte.

## Greeting
greeting = Bonjour,
greeting_named = Bonjour { $name },
invited_by = { $host } vous invite.

## Event details
when = Quand
where = Où
time_range = de { $start } à { $end }
time_zone_note = (fuseau horaire { $zone })
map_link = Voir le plan d'accès
event_cancelled_heading = Cet événement est annulé
event_cancelled_message = Cet événement a été annulé : il n'aura pas lieu. Toutes nos excuses pour ce contretemps.

## Answer form (personal invitation page)
answer_heading = Votre réponse
answer_legend = Serez-vous des nôtres ?
answer_yes = Oui, je viens
answer_no = Non, je ne pourrai pas
answer_maybe = Peut-être
preselected_hint = Votre réponse est cochée : confirmez-la avec le bouton ci-dessous.
answers_until = Vous pouvez modifier votre réponse jusqu'au { $date }.
companions_label = Personnes qui vous accompagnent
companions_hint = Jusqu'à { $n }, sans vous compter. Seulement si vous venez.
comment_label = Un mot pour l'organisation (facultatif)
send_answer = Envoyer ma réponse
confirm_answer = Confirmer ma réponse
more_answer_questions = Répondre aux questions, ajouter des accompagnants ou un commentaire
more_answer = Ajouter des accompagnants ou un commentaire
change_answer = Modifier ma réponse
answer_not_saved = Votre réponse n'a pas été enregistrée.
current_answer = Votre réponse actuelle : { $answer }.
no_answer = Vous n'avez pas répondu.
with_one_companion = Avec une autre personne.
with_companions = Avec { $n } autres personnes.

## Confirmation after answering
saved_yes = C'est noté, vous venez !
saved_yes_waitlisted = C'est noté ! L'événement est complet pour l'instant : votre « oui » est sur liste d'attente.
saved_no = C'est noté : vous ne venez pas. Merci d'avoir prévenu !
saved_maybe = C'est noté : peut-être. Vous pourrez confirmer plus tard sur cette page.
waitlist_position = Vous êtes en position { $n } sur la liste d'attente.
waitlist_email = Dès qu'une place se libère pour vous, vous recevrez un e-mail.

## Answers closed
closed_deadline = Les réponses sont closes depuis le { $date } : la liste est maintenant arrêtée.
closed_draft = Les réponses ne sont pas encore ouvertes. Revenez un peu plus tard !
closed_cancelled = L'événement étant annulé, il n'est plus possible de répondre.
closed_generic = Il n'est plus possible de répondre sur cette page.

## Calendar
calendar_heading = Ajouter à votre agenda
calendar_ics = Télécharger l'événement (.ics)
calendar_ics_hint = Pour Apple Calendrier, Outlook, Thunderbird et la plupart des agendas.
calendar_google = Ajouter à Google Agenda
feed_heading = Tous vos « oui » dans votre agenda
feed_explain = Abonnez-vous une fois : votre agenda affichera chaque événement auquel vous répondez oui, et suivra ses changements.
feed_link = S'abonner à « Mes événements »
feed_fallback = Si le lien ne s'ouvre pas, ajoutez cette adresse dans votre agenda (option « s'abonner à un calendrier » ou « à partir d'une URL ») :

## Public registration page
register_heading = S'inscrire
register_intro = Indiquez votre nom et votre adresse e-mail : nous vous enverrons un lien pour confirmer votre inscription.
name_label = Votre nom
email_label = Votre adresse e-mail
honeypot_label = Laissez ce champ vide
register_button = M'inscrire
form_has_errors = Merci de corriger ce qui suit :
registration_closed = Les inscriptions sont closes pour cet événement.
registered_heading = Vérifiez votre boîte de réception.
registered_sent = Nous avons envoyé un lien de confirmation à { $email }.
registered_pending = Votre inscription ne compte qu'une fois confirmée : ouvrez ce lien dans les 48 heures.
registered_spam_hint = Rien reçu ? Regardez dans vos courriers indésirables.

## Confirming a registration
confirm_heading = Confirmez votre inscription
confirm_intro = Vous allez vous inscrire à « { $title } » avec ces coordonnées :
confirm_button = Confirmer mon inscription
confirm_not_you = Ce n'est pas vous ? Fermez simplement cette page : sans confirmation, rien n'est enregistré.

## Her data (invitation page, forget-me page)
data_heading = Vos données
data_explain = Convive garde pour { $host } votre nom, votre adresse, vos réponses et la liste des e-mails qui vous ont été envoyés.
data_download = Télécharger mes données (fichier JSON)
forget_link = M'oublier
forget_heading = Effacer mes données
forget_question = Effacer tout ce que { $host } garde de vous dans Convive ?
forget_explain = Votre nom, votre adresse et vos commentaires seront effacés de toutes ses invitations, et ce lien ne fonctionnera plus. Vos réponses resteront comptées, sans votre nom. Ce qui ne vous a pas encore été envoyé ne partira pas.
forget_keep_a_copy = Pour en garder une copie, téléchargez d'abord vos données.
forget_button = Oui, effacer mes données
forget_cancel = Non, revenir à mon invitation
forget_done = C'est fait : vos données chez { $host } ont été effacées. Vous ne recevrez plus d'e-mail pour ces invitations.

## Unsubscribe
unsubscribe_heading = Désinscription
unsubscribe_question = Ne plus recevoir d'e-mails { ELIDED("de", $organiser) } ?
unsubscribe_explain = Vous ne recevrez plus ses invitations ni ses rappels envoyés par Convive.
unsubscribe_button = Oui, ne plus recevoir ses e-mails
unsubscribe_done = C'est fait : { $organiser } ne vous écrira plus par Convive.
unsubscribe_series_question = Quitter « { $series } » ?
unsubscribe_series_explain = Vous ne serez plus invité·e à ses rendez-vous et ses e-mails s'arrêtent. Les réponses déjà données restent.
unsubscribe_series_button = Quitter cette série
unsubscribe_or_organiser = Ou ne plus rien recevoir { ELIDED("de", $organiser) } :
unsubscribe_left_series = C'est fait : vous avez quitté « { $series } », ses e-mails s'arrêtent.

## Error pages (heading + message) and form errors, passed by the server
error_not_found_heading = Lien introuvable
error_not_found_message = Ce lien est incorrect ou a expiré. Utilisez le lien du dernier e-mail reçu, ou demandez-en un nouveau à l'organisation de l'événement.
error_forbidden_heading = Le formulaire a expiré
error_forbidden_message = Le formulaire a expiré ou vient d'un autre site. Rechargez la page, puis réessayez.
error_too_many_heading = Un instant, s'il vous plaît
error_too_many_message = Trop de tentatives en peu de temps. Patientez une minute, puis réessayez.
error_gone_heading = Lien déjà utilisé
error_gone_message = Ce lien a déjà servi ou a expiré.
error_internal_heading = Oups, un souci de notre côté
error_internal_message = Nous n'avons pas pu traiter votre demande. Réessayez dans quelques instants ; si le problème persiste, prévenez l'organisation de l'événement.
error_bad_request_heading = Demande incomprise
error_bad_request_message = Cette adresse n'a pas pu être lue telle quelle. Vérifiez le lien, ou revenez à la page précédente et réessayez.
error_unauthorized_heading = Page réservée aux applications
error_unauthorized_message = Cette adresse fait partie de l'API de Convive, qui répond aux programmes munis d'une clé. Pour voir vos événements, ouvrez le tableau de bord.
error_unauthorized_next = Ouvrir le tableau de bord
error_answers_closed = Les réponses sont closes : votre réponse n'a pas pu être enregistrée.
error_not_enough_seats = Il ne reste pas assez de places pour vous et vos accompagnants. Indiquez-en moins, ou répondez sans accompagnant pour rejoindre la liste d'attente.
error_too_many_companions = Nombre d'accompagnants maximum : { $n }.
error_comment_too_long = Votre commentaire est trop long : 1000 caractères au maximum.
error_answer_required = Choisissez une réponse : oui, non ou peut-être.
error_name_required = Indiquez votre nom.
error_email_invalid = Indiquez une adresse e-mail valide, par exemple nom@exemple.fr.
error_not_open_yet = Les réponses ne sont pas encore ouvertes pour cet événement.

## Questions for guests (invitation and registration pages)
questions_heading = Quelques questions
questions_intro_invitation = Si vous ne venez pas, inutile d'y répondre.
question_optional = (facultatif)
question_required = Réponse obligatoire.
question_required_if_coming = Réponse obligatoire si vous venez ou peut-être.
question_several_hint = Plusieurs choix possibles.
question_yes = Oui
question_no = Non
error_questions = Vérifiez vos réponses aux questions : le problème est indiqué à côté de chacune.
