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
d_skip_to_content = Aller au contenu
d_footer = Convive : vos invitations, relances et entrées, au même endroit.
d_colon =  :{" "}
d_optional = (facultatif)
d_choose = Choisir…
d_back = Retour
d_back_to_event = Retour à l'événement
d_all_events = Tous mes événements

## Navigation
d_nav_label = Menu principal
d_nav_events = Événements
d_nav_webhooks = Webhooks
d_nav_keys = Clés d'API
d_signed_in_as = Compte connecté :
d_sign_out = Se déconnecter

## Sign-in
d_login_title = Se connecter
d_login_intro = Indiquez votre adresse e-mail : nous vous enverrons un lien de connexion, sans mot de passe.
d_login_email_label = Votre adresse e-mail
d_login_send = Recevoir un lien de connexion
d_login_send_again = Renvoyer un lien
d_login_sent = Si un compte existe pour { $email }, un lien de connexion est en route ; il ne sert qu'une fois, pendant 15 minutes.
d_login_no_email = Pas d'e-mail configuré ? Demandez à votre administrateur de lancer :
d_login_confirm_title = Se connecter à Convive
d_login_confirm_intro = Un dernier geste : appuyez sur le bouton pour terminer la connexion.
d_login_confirm_button = Se connecter
d_login_confirm_why = Cette étape empêche les antivirus de messagerie, qui ouvrent tous les liens, d'utiliser le vôtre à votre place.
d_setup_title = Bienvenue dans Convive
d_setup_intro = Créez votre compte pour organiser vos événements. C'est le premier de cette installation ; la connexion est immédiate, et vous pourrez aussitôt créer votre premier événement.
d_setup_code_label = Code d'installation
d_setup_code_hint = Il figure dans le journal du serveur, au démarrage (par exemple ABCD-EFGH-JKMN). Il protège cette page : sans lui, personne d'autre sur le réseau ne peut prendre la main.
d_setup_name_label = Votre nom
d_setup_name_hint = Tel que vos invités le liront.
d_setup_email_label = Votre adresse e-mail
d_setup_email_hint = Pour vous reconnecter plus tard avec un lien, sans mot de passe.
d_setup_submit = Créer mon compte
d_setup_errors = Le compte n'a pas été créé : corrigez ce qui est signalé ci-dessous.
d_setup_error_code = Ce code ne correspond pas. Recopiez le code d'installation affiché dans le journal du serveur.
d_setup_error_name = Indiquez votre nom.

## Events list
d_events_title = Mes événements
d_events_caption = Vos événements, les prochains d'abord
d_new_event = Nouvel événement
d_events_empty_heading = Aucun événement pour l'instant
d_events_empty = Créez votre premier événement : il restera en brouillon jusqu'à ce que vous le publiiez, et personne ne reçoit rien avant.
d_col_event = Événement
d_col_date = Date
d_col_status = État
d_col_invited = Invités
d_col_answered = Réponses
d_col_yes = Oui
d_col_maybe = Peut-être
d_col_no = Non
d_col_seats_left = Places restantes
d_unlimited = Illimité
d_of_capacity = sur { $n }
d_status_draft = Brouillon
d_status_published = Publié
d_status_cancelled = Annulé

## Event form
d_form_new_title = Nouvel événement
d_form_edit_title = Modifier l'événement
d_form_new_intro = L'événement reste en brouillon jusqu'à sa publication : vous pourrez tout modifier d'ici là.
d_form_has_errors = L'événement n'a pas été enregistré. Merci de corriger ce qui suit :
d_form_create = Créer l'événement
d_form_save = Enregistrer les modifications
d_form_back_without_saving = Retour sans enregistrer
d_fs_event = L'événement
d_fs_where = Le lieu
d_fs_when = La date
d_fs_guests = Les invités
d_fs_plan = Relances et rappels
d_f_title = Titre
d_f_description = Description
d_h_description = Ce que les invités liront dans l'invitation : programme, ce qu'il faut apporter…
d_f_venue_name = Nom du lieu
d_f_venue_address = Adresse
d_f_venue_map_url = Lien vers un plan
d_h_venue_map_url = Par exemple un lien OpenStreetMap ou Google Maps, commençant par https://
d_f_venue_contact = E-mail de votre contact sur place
d_h_venue_contact = Reçoit le point avant l'événement : nombre de personnes, noms attendus, liste d'attente, totaux pour la restauration (sans les commentaires des invités).
d_f_starts_at = Début
d_f_ends_at = Fin
d_f_time_zone = Fuseau horaire
d_h_time_zone = La ville dont les heures ci-dessus sont l'heure locale ; le décalage indiqué est celui de la date de l'événement.
d_f_rsvp_deadline = Date limite de réponse
d_h_rsvp_deadline = Laissez vide pour clore les réponses au moment prévu dans les relances ci-dessous.
d_f_capacity = Nombre de places
d_h_capacity = Vide : sans limite. Au-delà, les « oui » vont sur liste d'attente.
d_f_companions_allowed = Accompagnants par invité
d_h_companions_allowed = 0 si chacun vient seul ; 20 au maximum.
d_f_language = Langue des e-mails et des pages
d_h_language = Celle dans laquelle vos invités liront tout.
d_language_fr = Français
d_language_en = English
d_f_open_registration = Inscriptions ouvertes
d_h_open_registration = Toute personne ayant le lien public peut s'inscrire, après avoir confirmé son adresse e-mail.
d_h_plan = Convive envoie pour vous les e-mails automatiques : relancer ceux qui n'ont pas répondu, clore les réponses, rappeler l'événement à ceux qui viennent, remercier après.
d_f_nudges = Relances
d_h_nudges = Pour ceux qui n'ont pas répondu. Une ligne vide ne compte pas ; toutes vides, aucune relance.
d_f_nudge_maybes = Relancer aussi ceux qui ont répondu « peut-être »
d_f_answers_close = Clôture des réponses
d_h_answers_close = Ensuite, les invités ne peuvent plus répondre et les relances s'arrêtent. Ignorée si une date limite est fixée plus haut.
d_f_reminder = Rappel pratique
d_h_reminder = Pour ceux qui viennent. Vide : pas de rappel.
d_f_venue_summary = Point pour le lieu
d_h_venue_summary = À vous, à vos co-organisateurs et au contact du lieu : qui vient, combien, la restauration. D'habitude en même temps que le rappel. Vide : pas de point.
d_f_follow_up = Message de remerciement
d_h_follow_up = Avec le lien de l'album, s'il y en a un. Vide : pas de message après l'événement.
d_f_follow_up_url = Lien de l'album ou du compte rendu
d_h_follow_up_url = Joint au message de remerciement. Vous pourrez l'ajouter plus tard.
d_plan_what_guests_get = Ce que recevront vos invités
d_plan_after_save = Les dates de chaque e-mail s'afficheront ici une fois l'événement enregistré.

## One event
d_time_range = de { $start } à { $end }
d_event_tools = Actions sur l'événement
d_edit = Modifier
d_preview_emails = Aperçu des e-mails
d_check_in = Accueil des invités
d_check_in_today = C'est aujourd'hui : accueillir les invités
d_results = Bilan
d_export_csv = Exporter en CSV
d_publish = Publier et envoyer les invitations
d_publish_hint = Chaque invité de la liste reçoit son invitation ; ceux ajoutés ensuite recevront la leur aussitôt.
d_cancel_event = Annuler l'événement et prévenir les invités
d_public_link = Lien d'inscription à partager
d_public_link_hint = Toute personne ayant ce lien peut s'inscrire.
d_at_a_glance = En un coup d'œil
d_count_invited = Invités
d_count_answered = Ont répondu
d_count_not_answered = Sans réponse
d_count_yes = Oui
d_count_maybe = Peut-être
d_count_no = Non
d_count_seats_left = Places restantes
d_count_waiting = En attente
d_count_came = Venus
d_count_walk_ins = Sans invitation
d_count_no_shows = Absents

## Adding guests
d_add_guests = Ajouter des invités
d_import_list_label = Coller une liste
d_import_list_hint = Une personne par ligne : « Prénom Nom <adresse@exemple.fr> » ou simplement l'adresse.
d_import_file_label = Ou importer un fichier CSV
d_import_file_hint = Avec une ligne d'en-tête ; le séparateur et les colonnes (nom, e-mail, langue) sont détectés. Une liste exportée d'un événement revient avec ses réponses.
d_import_button = Ajouter à la liste
d_import_published_note = L'événement est publié : les nouveaux invités reçoivent leur invitation aussitôt.
d_import_result = Résultat de l'ajout
d_import_running_title = Import en cours
d_import_running_count = { $done } lignes sur { $n } écrites…
d_import_running_elsewhere = { $n } lignes en cours d'import…
d_import_running_note = Vous pouvez quitter cette page : l'import continue. Les invités apparaissent tous ensemble à la fin, et cette page affiche alors le résultat.
d_import_failed = L'import n'a pas abouti : aucun invité de la liste n'a été ajouté. Vous pouvez la réimporter.
d_import_added = { $n } { $n ->
        [one] ajouté
       *[other] ajoutés
    }
d_import_duplicates = { $n } déjà sur la liste
d_import_invalid = { $n } { $n ->
        [one] invalide
       *[other] invalides
    }
# The column of an imported row that a reason is about.
d_import_field =
    { $field ->
        [name] Nom
        [language] Langue
        [answer] Réponse
        [companions] Accompagnants
        [comment] Commentaire
       *[other] { $field }
    }
# The column of a question, headed by its label.
d_import_question = « { $label } »
d_import_not_added = Lignes non ajoutées
d_import_status_added = Ajouté
d_import_status_duplicate = Déjà invité
d_import_status_invalid = Invalide
d_col_line = Ligne
d_col_email = E-mail
d_col_reason = Raison

## Guests table
d_guests = Invités
d_guests_caption = Invités, leur réponse, leur dernier e-mail et les actions possibles
d_guests_empty = Personne n'est encore invité. Ajoutez des invités ci-dessus.
d_col_guest = Invité
d_col_answer = Réponse
d_col_comment = Commentaire
d_col_actions = Actions
d_answer_none = Pas de réponse
d_answer_yes = Oui
d_answer_no = Non
d_answer_maybe = Peut-être
d_plus_one = +1 accompagnant
d_plus_n = +{ $n } accompagnants
d_waitlist_place = Liste d'attente, n° { $n }
d_no_comment = Aucun commentaire
d_badge_arrived = Sur place
d_badge_walk_in = Sans invitation
d_badge_unsubscribed = Désinscription
d_mail_error = Erreur d'envoi :
d_mail_status_pending = { $kind } : à envoyer
d_mail_status_sending = { $kind } : en cours d'envoi
d_mail_status_sent = { $kind } : { $gender ->
        [feminine] envoyée
       *[other] envoyé
    }
d_mail_status_failed = { $kind } : échec
d_mail_status_skipped = { $kind } : { $gender ->
        [feminine] pas envoyée
       *[other] pas envoyé
    }
d_mail_invitation = Invitation
    .gender = feminine
d_mail_nudge = Relance
    .gender = feminine
d_mail_nudge_maybe = Relance (peut-être)
    .gender = feminine
d_mail_waitlisted = Liste d'attente
    .gender = feminine
d_mail_promoted = Place libérée
    .gender = feminine
d_mail_reminder = Rappel
    .gender = masculine
d_mail_thank_you = Remerciement
    .gender = masculine
d_mail_missed_you = Dommage de vous avoir manqué
    .gender = masculine
d_mail_update = Modification
    .gender = feminine
d_mail_cancellation = Annulation
    .gender = feminine
d_mail_organiser_note = Note pour l'organisation
    .gender = feminine
d_mail_organiser_digest = Résumé pour l'organisation
    .gender = masculine
d_mail_registration_confirm = Confirmation d'inscription
    .gender = feminine
d_mail_late_reply = Réponse arrivée trop tard
    .gender = feminine
d_set_answer_for = Réponse { ELIDED("de", $name) }
d_companions = Accompagnants
d_set = Valider
d_resend = Renvoyer l'invitation
d_to_name = à { $name }
d_remove = Retirer

## Check-in
d_checkin_title = Accueil
d_checkin_counts_label = Compteurs d'arrivées
d_checkin_arrived = arrivés
d_checkin_people = personnes
d_checkin_walk_ins = sans invitation
# Beside the number of guests still expected.
d_checkin_expected = { $n ->
        [one] attendu
       *[other] attendus
    }
d_checkin_search_label = Chercher un invité (nom ou e-mail)
d_checkin_search_button = Chercher
d_checkin_results_for = { $n ->
        [0] Aucun résultat
        [one] { $n } résultat
       *[other] { $n } résultats
    } pour « { $q } ».
d_checkin_show_all = Voir tout le monde
d_checkin_no_match = Personne ne correspond. Ajoutez cette personne sans invitation, plus bas.
d_checkin_none_found = Personne ne correspond à « { $q } ». Ajoutez cette personne sans invitation, plus bas.
d_checkin_no_guests = Personne n'est encore invité à cet événement.
d_check_in_button = Enregistrer l'arrivée
d_undo = Annuler
d_undo_for = l'arrivée { ELIDED("de", $name) }
d_walk_in_heading = Quelqu'un qui n'est pas sur la liste ?
d_walk_in_intro = Ajoutez cette personne : elle devient invitée de l'événement et son arrivée est enregistrée.
d_walk_in_name = Nom
d_walk_in_email = Adresse e-mail
d_walk_in_email_hint = Pour lui envoyer le message de remerciement après l'événement.
d_walk_in_companions = Accompagnants
d_walk_in_button = Ajouter et enregistrer l'arrivée

## Results
d_results_title = Bilan
d_results_figures = Les chiffres
d_results_questions = Les réponses aux questions
d_results_questions_note = Sur les invités qui viennent (un « oui » avec une place), comme le résumé envoyé au lieu. Les accompagnants ne sont pas comptés.
d_results_timeline = Les réponses au fil du temps
d_results_no_answers = Aucune réponse pour l'instant.
d_not_yet = Pas encore connu
d_chart_caption = Les réponses au fil du temps, et les relances envoyées
d_chart_as_table = Voir les mêmes chiffres sous forme de tableau
d_chart_table_note = Les mêmes chiffres figurent dans un tableau juste après le graphique.
d_col_nudges = Relances envoyées
d_chart_title = Réponses au fil du temps
d_chart_nudges = Relances

## API keys
# The label of the key `convive organiser create` makes, and of a key made
# here without one.
d_key_label_setup = Clé créée à l'installation
d_key_label_dashboard = Clé créée depuis le tableau de bord
d_keys_title = Clés d'API
d_keys_intro = Une clé permet à un script ou à un autre outil d'utiliser l'API de Convive en votre nom. Révoquez-la dès qu'elle ne sert plus.
d_new_key_heading = Votre nouvelle clé
d_new_key_warning = Copiez-la maintenant : elle ne sera plus jamais affichée.
d_new_key_label = Clé
d_new_key_usage = Envoyez-la dans l'en-tête
d_create_key_heading = Créer une clé
d_key_label = Nom de la clé
d_key_label_hint = Pour la reconnaître plus tard, par exemple « Tableur de l'association ».
d_create_key = Créer la clé
d_keys_caption = Vos clés
d_keys_empty = Vous n'avez encore aucune clé.
d_col_created = Créée le
d_key_active = Active
d_key_revoked = Révoquée
d_revoke = Révoquer

## A guest's data (her row's menu)
d_guest_data = Ses données (JSON)
d_guest_erase = Effacer ses données
d_confirm_erase_question = Effacer les données de { $name } ?
d_confirm_erase_reach = Son nom, son adresse et ses commentaires seront effacés de tous vos événements, et son lien d'invitation ne fonctionnera plus.
d_confirm_erase_kept = Ses réponses et ses arrivées resteront comptées, sans son nom, pour que vos résultats restent justes.
d_confirm_erase_final = C'est définitif : téléchargez d'abord ses données si vous devez les lui remettre.
d_confirm_erase_button = Effacer les données de { $name }
d_flash_erased = Ses données sont effacées.

## Retention of guests' data
d_language_title = Votre langue
d_language_link = Langue
d_language_intro = Votre tableau de bord, et les e-mails que Convive vous adresse (liens de connexion, invitations à une équipe, récapitulatifs pour le lieu, notes et résumés), sont dans cette langue. Les invités, eux, reçoivent les leurs dans la langue de l'événement.
d_language_label = Langue
d_language_save = Enregistrer
d_language_saved = Votre tableau de bord et vos e-mails sont désormais dans cette langue.
d_retention_title = Conservation des données des invités
d_retention_intro = Vous pouvez faire effacer automatiquement les données personnelles de vos invités quelque temps après chaque événement, comme le veut le principe de conservation limitée.
d_retention_on = Effacer les données des invités après chaque événement
d_retention_days = Nombre de jours après la fin de l'événement
d_retention_days_hint = Entre 1 et { $max } jours.
d_retention_what = Leurs noms, adresses et commentaires sont effacés, et leurs liens cessent de fonctionner. Les réponses et les arrivées restent comptées, sans nom, pour que vos résultats restent justes.
d_retention_save = Enregistrer
d_retention_saved_on = C'est enregistré : les données des invités seront effacées après chaque événement.
d_retention_saved_off = C'est enregistré : les données des invités sont conservées.

## Webhooks
d_hooks_title = Webhooks
d_hooks_intro = Un webhook prévient un autre outil (votre CRM, un canal Slack, un tableur) dès qu'un invité répond, arrive ou se désinscrit, et quand un événement est publié, modifié ou annulé. Convive signe chaque envoi selon la norme Standard Webhooks.
d_hook_create_heading = Ajouter un webhook
d_hook_url = Adresse du webhook
d_hook_url_hint = L'adresse que votre outil vous a donnée, commençant par https://
d_hook_types = Ce qui est envoyé
d_hook_create = Ajouter le webhook
d_hook_secret_heading = Le secret de ce webhook
d_hook_secret_warning = Copiez-le maintenant : il ne sera plus jamais affiché.
d_hook_secret_label = Secret
d_hook_secret_usage = Donnez-le à votre outil : il s'en sert pour vérifier que chaque envoi vient bien de Convive.
d_hooks_caption = Vos webhooks
d_hooks_empty = Vous n'avez encore aucun webhook.
d_hook_on = Actif
d_hook_off = Désactivé
d_hook_off_organiser = par vous
d_hook_off_gone = son adresse n'existe plus (410)
d_hook_off_failing = une journée d'échecs
d_hook_failing_since = en échec depuis le { $since }
d_hook_log = Journal des envois
d_hook_test = Envoyer un événement de test
d_hook_disable = Désactiver
d_hook_enable = Réactiver
d_hook_delete = Supprimer
d_hook_enabled = Le webhook est réactivé.
d_hook_disabled = Le webhook est désactivé : plus rien ne lui est envoyé.
d_hook_deleted = Le webhook est supprimé, avec son journal.
d_hook_test_sent = L'événement de test part à l'instant : son résultat s'affiche ici.
d_hook_resent = L'envoi repart à l'instant.
d_hook_enable_first = Réactivez d'abord ce webhook : désactivé, il ne reçoit rien.
d_confirm_hook_delete_question = Supprimer ce webhook ?
d_confirm_hook_delete_reach = Plus rien ne sera envoyé à { $url }, et son journal des envois sera effacé.
d_confirm_hook_delete_instead = Pour l'arrêter un moment sans perdre son journal, désactivez-le plutôt.
d_confirm_hook_delete_button = Supprimer le webhook
d_hook_back = Retour aux webhooks
d_hook_log_title = Journal des envois
d_hook_log_intro = Les envois des 30 derniers jours, du plus récent au plus ancien. Un envoi en échec est retenté après 5 secondes, 5 minutes, 30 minutes, 2 heures, 5 heures, puis 10 heures deux fois.
d_hook_log_caption = Envois
d_hook_log_empty = Rien n'a encore été envoyé à ce webhook.
d_hook_col_at = Quand
d_hook_col_type = Quoi
d_hook_col_code = Réponse
d_hook_col_duration = Durée
d_hook_col_attempts = Tentatives
d_hook_resend = Renvoyer
d_hook_status_pending = En attente
d_hook_status_sending = En cours
d_hook_status_delivered = Reçu
d_hook_status_failed = Échec
d_hook_status_skipped = Non envoyé
d_hook_type_guest_answered = Un invité répond ou change d'avis
d_hook_type_guest_promoted = Un invité passe de la liste d'attente à une place
d_hook_type_guest_checked_in = Un invité arrive
d_hook_type_guest_walked_in = Quelqu'un arrive sans être invité
d_hook_type_registration_confirmed = Une inscription est confirmée
d_hook_type_event_published = Un événement est publié
d_hook_type_event_changed = Un événement est modifié
d_hook_type_event_cancelled = Un événement est annulé
d_hook_type_guest_unsubscribed = Quelqu'un se désinscrit de vos e-mails
d_hook_type_webhook_test = Événement de test

## Email preview
d_preview_title = Aperçu des e-mails
d_preview_intro = Voici ce que recevront vos invités, avec des exemples à la place de leur nom et de leur lien personnel.
d_preview_toc = Les e-mails
d_preview_none = Aucun e-mail à montrer.
d_subject = Objet
d_preview_frame_title = { $step }, en { $language } : version HTML
d_preview_text_version = Version texte

## Flash messages, for the handlers
d_flash_created = L'événement est créé, en brouillon.
d_flash_saved =
    { $n ->
        [0] Modifications enregistrées ; aucun e-mail n'est parti.
        [one] Modifications enregistrées : { $n } personne reçoit la modification.
       *[other] Modifications enregistrées : { $n } invités reçoivent la modification.
    }
d_flash_published =
    { $n ->
        [0] L'événement est publié. Aucune invitation n'est partie : la liste d'invités est vide.
        [one] L'événement est publié : { $n } invitation est en route.
       *[other] L'événement est publié : { $n } invitations sont en route.
    }
d_flash_published_already = L'événement était déjà publié : rien n'a été renvoyé.
d_flash_cancelled =
    { $n ->
        [0] L'événement est annulé ; aucun e-mail n'est parti.
        [one] L'événement est annulé : { $n } personne reçoit l'annulation.
       *[other] L'événement est annulé : { $n } invités reçoivent l'annulation.
    }
d_flash_cancelled_already = L'événement était déjà annulé : rien n'a été envoyé.
d_flash_answer_set = Réponse enregistrée pour { $name }.
d_flash_resent = Invitation renvoyée à { $name }.
d_flash_removed = { $name } ne fait plus partie de la liste.
d_flash_checked_in = Arrivée { ELIDED("de", $name) } enregistrée.
d_flash_undone = Arrivée { ELIDED("de", $name) } annulée.
d_flash_walk_in = { $name } est sur la liste, et son arrivée est enregistrée.
d_flash_key_revoked = La clé « { $name } » est révoquée.
d_flash_signed_out = Déconnexion effectuée.

## Errors, for the handlers
d_err_required = Ce champ est obligatoire.
d_err_too_long = Trop long : { $n } caractères au maximum.
d_err_url = Indiquez une adresse web complète, commençant par https://
d_err_email = Indiquez une adresse e-mail valide, par exemple nom@exemple.fr.
d_err_datetime = Indiquez une date et une heure.
d_err_time_zone = Choisissez un fuseau horaire dans la liste.
d_err_language = Choisissez le français ou l'anglais.
d_err_ends_before_start = La fin doit être après le début.
d_err_deadline_after_start = La date limite de réponse doit être avant le début.
d_err_capacity = Entre 1 et 100 000, ou vide pour sans limite.
d_err_companions = Entre 0 et 20.
d_err_duration = Durée non comprise : écrivez par exemple P7D (7 jours) ou PT2H (2 heures).
d_err_too_many_nudges = 10 relances au maximum.
d_err_not_enough_seats = Il ne reste pas assez de places.
d_err_import_empty = Collez une liste ou choisissez un fichier.
d_err_login_link = Ce lien de connexion a déjà servi ou a expiré. Demandez-en un nouveau.

d_fs_words = Vos mots en tête de chaque e-mail
d_h_words = Facultatif : quelques lignes à vous, en tête du message ; le reste de l'e-mail (date, lieu, boutons) ne change pas.
d_f_words_invitation = Invitation
d_f_words_nudge = Relance
d_f_words_reminder = Rappel la veille
d_f_words_thank_you = Remerciement
d_other_words_summary = { $language ->
    [en] Vos mots en anglais, pour les invités qui lisent l'anglais
   *[fr] Vos mots en français, pour les invités qui lisent le français
}
d_h_other_words = Facultatif. Sans eux, ces invités reçoivent l'e-mail habituel dans leur langue, sans vos mots : ils ne lisent jamais des mots écrits dans une autre langue que la leur.
d_f_other_words = Autre langue
d_error_walk_in_name = Indiquez le nom de la personne.
d_error_walk_in_email = Indiquez une adresse e-mail valide, par exemple nom@exemple.fr.
d_error_walk_in_companions = Le nombre d'accompagnants doit être compris entre 0 et { $n }.
d_error_not_enough_seats = Il ne reste pas assez de places pour cet invité et ses accompagnants : sa réponse n'a pas changé.
d_failed_emails =
    { $n ->
        [one] { $n } e-mail n'a pas pu partir (voir la colonne État).
       *[other] { $n } e-mails n'ont pas pu partir (voir la colonne État).
    }
d_resend_failed = Les renvoyer
d_guests_search_label = Chercher un invité (nom ou adresse)
d_pages = Pages de la liste des invités
d_page_of = Page { $page } sur { $pages }
d_page_previous = Précédente
d_page_next = Suivante
d_checkin_more = Liste abrégée ({ $n } de plus) : tapez un nom pour trouver quelqu'un.
d_resent =
    { $n ->
        [0] Aucun e-mail à renvoyer.
        [one] { $n } e-mail est reparti dans la file d'envoi.
       *[other] { $n } e-mails sont repartis dans la file d'envoi.
    }
d_error_import_empty = La liste est vide : collez une adresse par ligne, ou choisissez un fichier CSV.
d_error_companions = Le nombre d'accompagnants doit être compris entre 0 et { $n }.
d_error_resend_not_published = L'événement n'est pas publié : publiez-le d'abord, l'invitation partira alors d'elle-même.

## Asking first (an action that sends email or deletes)
d_cancelled_read_only = Cet événement est annulé : il ne peut plus être modifié, et la liste d'invités reste telle quelle. Les réponses, les résultats et l'export restent consultables.
d_confirm_publish_question = Publier « { $title } » ?
d_confirm_publish_reach =
    { $n ->
        [0] Publier n'enverra aucune invitation : la liste d'invités est vide.
        [one] Publier enverra { $n } invitation, tout de suite.
       *[other] Publier enverra { $n } invitations, tout de suite.
    }
d_confirm_publish_later = Les personnes que vous ajouterez ensuite recevront leur invitation dès leur ajout.
d_confirm_publish_button =
    { $n ->
        [0] Publier
        [one] Publier et envoyer l'invitation
       *[other] Publier et envoyer les { $n } invitations
    }
d_confirm_publish_back = Ne pas publier pour l'instant
d_confirm_cancel_question = Annuler « { $title } » ?
d_confirm_cancel_reach =
    { $n ->
        [0] Aucun e-mail ne partira : aucun invité n'est à prévenir.
        [one] { $n } personne recevra l'annulation, avec de quoi retirer l'événement de son agenda.
       *[other] { $n } invités recevront l'annulation, avec de quoi retirer l'événement de leur agenda.
    }
d_confirm_cancel_draft_reach =
    { $n ->
        [0] L'événement n'a pas été publié : aucun e-mail ne partira.
        [one] L'événement n'a pas été publié : aucun e-mail ne partira.
       *[other] L'événement n'a pas été publié : aucun e-mail ne partira.
    }
d_confirm_cancel_detail = Une fois annulé, l'événement ne pourra plus être modifié ni publié, et les relances et rappels prévus ne partiront pas.
d_confirm_cancel_declined = Les personnes qui ont répondu « non » ne reçoivent rien.
d_confirm_cancel_button =
    { $n ->
        [0] Annuler l'événement
        [one] Annuler et prévenir { $n } personne
       *[other] Annuler et prévenir { $n } invités
    }
d_confirm_cancel_back = Garder l'événement
d_confirm_change_question = Enregistrer et prévenir les invités ?
d_confirm_change_reach =
    { $n ->
        [0] Aucun invité ne recevra la modification.
        [one] { $n } personne recevra la modification, et son agenda sera mis à jour.
       *[other] { $n } invités recevront la modification, et leur agenda sera mis à jour.
    }
d_confirm_change_detail = Vous avez changé le titre, la date, l'heure ou le lieu : chaque invité qui n'a pas répondu « non » reçoit un e-mail avec les nouvelles informations.
d_confirm_change_button =
    { $n ->
        [0] Enregistrer les modifications
        [one] Enregistrer et prévenir { $n } personne
       *[other] Enregistrer et prévenir { $n } invités
    }
d_confirm_change_back = Revenir au formulaire
d_confirm_remove_question = Retirer { $name } de la liste ?
d_confirm_remove_reach = { $name } ne recevra plus aucun e-mail pour cet événement, et sa réponse sera effacée.
d_confirm_remove_detail = Son lien d'invitation ne fonctionnera plus. Vous pourrez inviter de nouveau cette personne plus tard ; elle recevra un nouveau lien.
d_confirm_remove_arrived = Son arrivée ne sera plus comptée.
d_confirm_remove_button = Retirer { $name }

## The reminder plan's presets and steps, time zones by city, removals that free a seat
d_f_plan_preset = Le programme
d_preset_usual = Comme d'habitude
d_preset_usual_hint = Relances à J-7 et J-3 pour ceux qui n'ont pas répondu, réponses closes à J-2, rappel la veille pour ceux qui viennent, remerciement 2 heures après la fin.
d_preset_one_nudge = Une seule relance, à J-3
d_preset_one_nudge_hint = Comme d'habitude, avec une relance au lieu de deux.
d_preset_no_nudges = Pas de relance
d_preset_no_nudges_hint = Personne n'est relancé ; le rappel de la veille et le remerciement partent comme d'habitude.
d_preset_custom = Sur mesure
d_preset_custom_hint = Choisissez vous-même chaque relance, la clôture des réponses, le rappel et le remerciement.
d_f_nudge_n = Relance { $n }
d_step_unit = { $step } : unité
d_unit_days = jours
d_unit_hours = heures
d_unit_minutes = minutes
d_unit_seconds = secondes
d_step_before_start = avant le début
d_step_after_end = après la fin
d_err_step = Indiquez un nombre entier, par exemple 7 jours ou 2 heures ; un an au plus.
d_err_step_required = Indiquez un délai, par exemple 2 jours.
d_err_preset = Choisissez l'un des programmes proposés.
d_region_common = Les plus courants
d_region_europe = Europe
d_region_america = Amériques
d_region_africa = Afrique
d_region_asia = Asie
d_region_oceania = Océanie et Pacifique
d_region_indian = Océan Indien
d_region_atlantic = Atlantique
d_region_polar = Pôles
d_city_paris = Paris
d_city_brussels = Bruxelles
d_city_geneva = Genève
d_city_luxembourg = Luxembourg
d_city_montreal = Montréal
d_city_london = Londres
d_city_new_york = New York
d_city_casablanca = Casablanca
d_city_dakar = Dakar
d_city_abidjan = Abidjan
d_city_reunion = La Réunion
d_city_martinique = Martinique
d_and = {" "}et{" "}
d_confirm_remove_promoted =
    { $n ->
        [one] Sa place revient à { $names }, la première personne sur la liste d'attente.
       *[other] Ses places reviennent à { $names }, les premières personnes sur la liste d'attente.
    }
d_confirm_remove_promoted_mail =
    { $n ->
        [one] Un e-mail le lui annonce aussitôt.
       *[other] Un e-mail le leur annonce aussitôt.
    }

## The guest list: search and filter by answer, actions in a menu, her personal link
d_guests_search_form = Chercher dans la liste des invités
d_guests_filter_label = Réponse
d_filter_all = Toutes
d_filter_yes = Oui
d_filter_no = Non
d_filter_maybe = Peut-être
d_filter_none = Sans réponse
d_filter_waiting = Liste d'attente
d_guests_show = Afficher
d_guests_matching =
    { $n ->
        [0] Personne ne correspond.
        [one] { $n } invité correspond.
       *[other] { $n } invités correspondent.
    }
d_row_actions = Actions
d_for_name = pour { $name }
d_personal_link = Son lien personnel
d_personal_link_hint = Celui de ses e-mails : quiconque l'a peut répondre à sa place. Ne le transmettez qu'à la personne invitée.
d_copy_link = Copier son lien personnel
d_link_copied = Lien copié
d_count_people = Personnes attendues
d_count_people_note = Personnes attendues : les « oui » qui ont une place, et leurs accompagnants.

## Series
d_nav_series = Séries
d_series_title = Mes séries
d_series_intro = Une série regroupe les rendez-vous d'un événement qui revient, et la communauté invitée à chacun : les personnes rencontrées à l'entrée la rejoignent pour la fois suivante.
d_series_new = Nouvelle série
d_series_name = Nom de la série
d_series_first_date = Son premier rendez-vous
d_series_rule = Rythme
d_series_rule_monthly = Chaque mois, le même jour de la semaine
d_series_rule_weekly = Chaque semaine
d_series_rule_fortnightly = Toutes les deux semaines
d_series_create = Créer la série
d_series_needs_event = Une série part d'un de vos événements, son premier rendez-vous : créez d'abord cet événement.
d_series_dates = Rendez-vous
d_series_next = Ajouter le prochain rendez-vous
d_series_next_suggested = Prochain rendez-vous suggéré
d_series_invite = Inviter la communauté
d_series_community = Communauté
d_series_no_members = Personne dans la communauté pour l'instant. Importez-la depuis un tableur, ou laissez les personnes venues sans invitation la rejoindre.
d_series_bar = { $came } venus sur { $invited } inscrits
d_series_came_of = { $came } sur { $dates }
d_col_came = Venus
d_col_member = Membre
d_col_attendance = Présence
d_col_no_shows = Absences
d_col_late = Annulations tardives
d_col_joined = Arrivée
d_sort_by = Trier par
d_sort_name = nom
d_sort_came = les plus assidus
d_sort_no_shows = absences
d_member_left = a quitté la série
d_joined_imported = importé
d_joined_added = ajouté par vous
d_joined_registered = inscrit en ligne
d_joined_walk_in = venu sans invitation
d_flash_series_created = La série est créée.
d_flash_date_added = Le prochain rendez-vous est prêt, en brouillon : vérifiez-le, puis publiez-le.
d_flash_community_invited =
    { $n ->
        [0] Personne de plus à inviter : toute la communauté est sur la liste.
        [one] { $n } personne de la communauté est sur la liste.
       *[other] { $n } personnes de la communauté sont sur la liste.
    }
d_confirm_invite_question = Inviter la communauté à « { $title } » ?
d_confirm_invite_reach_published =
    { $n ->
        [0] Toute la communauté est déjà sur la liste.
        [one] { $n } personne rejoint la liste et reçoit son invitation maintenant.
       *[other] { $n } personnes rejoignent la liste et reçoivent leur invitation maintenant.
    }
d_confirm_invite_reach_draft =
    { $n ->
        [0] Toute la communauté est déjà sur la liste.
        [one] { $n } personne rejoint la liste ; les invitations partiront à la publication.
       *[other] { $n } personnes rejoignent la liste ; les invitations partiront à la publication.
    }
d_confirm_invite_left = Les membres qui ont quitté la série, ou qui ne veulent plus de vos e-mails, ne sont pas invités.
d_series_export = Télécharger la communauté (CSV)

## Series settings and the defaults of new dates
d_series_settings = Réglages de la série
d_series_settings_title = Réglages de la série
d_rule_weekly = Chaque semaine
d_rule_every_n_weeks = Toutes les { $n } semaines
d_rule_every_few_weeks = Toutes les N semaines (nombre ci-dessous)
d_rule_monthly_same = Chaque mois, le même jour de la semaine
d_rule_monthly_nth = Le { $rank } { $weekday } de chaque mois
d_rule_monthly_nth_day = Chaque mois, le { $rank } jour de la semaine du rendez-vous
d_rank_1 = premier
d_rank_2 = deuxième
d_rank_3 = troisième
d_rank_4 = quatrième
d_rank_last = dernier
d_weekday_0 = lundi
d_weekday_1 = mardi
d_weekday_2 = mercredi
d_weekday_3 = jeudi
d_weekday_4 = vendredi
d_weekday_5 = samedi
d_weekday_6 = dimanche
d_series_every = Nombre de semaines entre deux rendez-vous
d_series_every_hint = Pour le rythme « toutes les N semaines » : de 1 à { $max }.
d_series_walk_ins_join = Les personnes venues sans invitation et les inscrits confirmés rejoignent la communauté
d_series_walk_ins_join_hint = Ainsi, la personne rencontrée à l'entrée est invitée la fois suivante.
d_series_late_hours = Annulation tardive : un « oui » devenu « non » moins de combien d'heures avant le début ?
d_series_late_hours_hint = De 0 à { $max } heures ; 24 par défaut.
d_defaults_title = Réglages des prochains rendez-vous
d_defaults_intro = Chaque nouveau rendez-vous de la série part de ces réglages : lieu, heure et durée, fuseau horaire, places, accompagnants, relances, langue et vos mots. La date indiquée sert de modèle : on garde son heure et sa durée, le jour est celui que propose le rythme de la série. Les rendez-vous déjà créés ne changent pas.
d_defaults_edit = Modifier les réglages des prochains rendez-vous
d_defaults_save = Enregistrer les réglages
d_flash_series_saved = Réglages de la série enregistrés.
d_flash_series_defaults_saved = Réglages des prochains rendez-vous enregistrés.
d_flash_series_defaults_from_date = Les prochains rendez-vous de la série reprendront les réglages de celui-ci.
d_event_duplicate = Dupliquer
d_event_duplicate_hint = Une copie en brouillon, avec tous ses réglages, un mois plus tard (le rythme de la série pour un rendez-vous de série).
d_event_duplicate_with_guests = Inviter aussi les mêmes personnes
d_event_make_series = En faire une série
d_event_use_as_defaults = Reprendre ces réglages pour les prochains rendez-vous
d_flash_duplicated = Copie créée en brouillon : vérifiez la date et les réglages, puis publiez-la.
d_series_more_rules = D'autres rythmes (toutes les trois semaines, le dernier jeudi du mois…) se choisissent ensuite dans les réglages de la série.
d_event_next_time = Pour la prochaine fois
d_event_series_page = Voir la série
d_series_settings_has_errors = Les réglages n'ont pas été enregistrés. Merci de corriger ce qui est signalé.

## A series' community on the dashboard
d_community_add = Ajouter à la communauté
d_community_file_hint = Avec une ligne d'en-tête ; le séparateur et les colonnes (nom, e-mail, langue, étiquettes, consentement) sont détectés. Personne n'est invité tant que vous ne le demandez pas.
d_community_import = Ajouter à la communauté
d_community_one = Ou une seule personne
d_community_add_one = Ajouter cette personne
d_member_name = Nom (facultatif)
d_member_tags = Étiquettes
d_member_tags_hint = Facultatif : séparées par des virgules, par exemple « voisins, orateurs ».
d_member_already = { $email } fait déjà partie de la communauté (ou l'a quittée).
d_flash_member_added = { $email } a rejoint la communauté.
d_flash_member_left = Cette personne ne fait plus partie de la communauté : « Inviter la communauté » ne l'invitera plus.
d_flash_member_back = Cette personne fait de nouveau partie de la communauté.
d_member_consented = Consentement
d_member_history = Rendez-vous par rendez-vous
d_member_no_history = Pas encore sur la liste d'un rendez-vous.
d_member_at_door = sans invitation
d_member_invited = sur invitation
d_member_no_answer = Pas de réponse
d_member_came = Oui
d_member_no_show = Absence
d_member_late = annulation tardive
d_member_not_known = pas de pointage ce jour-là
d_member_leave = Retirer de la communauté
d_member_leave_hint = Ses réponses déjà données restent ; « Inviter la communauté » ne l'invitera plus.
d_member_back = Réintégrer dans la communauté
d_member_back_hint = Cette personne sera de nouveau invitée par « Inviter la communauté ».
d_member_presence = Présence
## Running an event together: the team, its roles, its history.
d_role_owner = Organisation (créatrice ou créateur)
d_role_co_organiser = Co-organisation
d_role_door_helper = Accueil le jour J
d_role_co_organiser_hint = Tout ce qui touche aux invités, aux réponses, aux e-mails, à l'accueil et aux résultats ; ni l'équipe ni l'annulation.
d_role_door_helper_hint = Seulement la page d'accueil de l'événement et les personnes venues sans invitation, le jour même.
d_team_title = Équipe
d_team_link = Équipe
d_team_intro = Invitez d'autres personnes à organiser cet événement avec vous. Chacune reçoit un lien par e-mail ; une adresse sans compte en obtient un en acceptant.
d_team_invite_heading = Inviter quelqu'un
d_team_email = Adresse e-mail
d_team_role = Rôle
d_team_invite = Envoyer l'invitation
d_team_caption = L'équipe
d_team_accepted = A accepté
d_team_pending = Invitation envoyée
d_team_remove = Retirer
d_team_empty = Personne d'autre n'organise cet événement pour l'instant.
d_flash_team_invited = Invitation envoyée à { $email }.
d_flash_team_role_changed = Le rôle de { $email } a changé.
d_flash_team_removed = { $email } ne fait plus partie de l'équipe.
d_team_accept_title = Rejoindre l'équipe
d_team_accept_intro = { $name } vous invite à rejoindre l'équipe de cet événement. Votre rôle : { $role }.
d_team_accept_name = Votre nom
d_team_accept_name_hint = Tel que l'équipe le verra. Votre compte sera celui de { $email }.
d_team_accept_button = Accepter et me connecter
d_back_to_series = Retour à la série
d_series_team_link = Équipe
d_series_team_intro = Invitez d'autres personnes à organiser cette série avec vous : leur rôle vaut pour la série et pour chacune de ses dates, passées et à venir. Chacune reçoit un lien par e-mail ; une adresse sans compte en obtient un en acceptant.
d_series_team_empty = Personne d'autre n'organise cette série pour l'instant.
d_series_role_co_organiser_hint = La série, sa communauté, ses réglages par défaut, les prochaines dates et tout ce qui touche à leurs invités ; ni l'équipe ni la suppression.
d_series_role_door_helper_hint = Seulement la page d'accueil de chaque date de la série, le jour même ; rien d'autre de la série.
d_series_team_accept_intro = { $name } vous invite à rejoindre l'équipe de cette série et de toutes ses dates. Votre rôle : { $role }.
d_shared_heading = Événements partagés avec vous
d_shared_none = Aucun événement partagé avec vous.
d_door_link = Accueil
d_door_closed = L'accueil ouvre le jour même.
d_activity_heading = Qui a fait quoi
d_activity_empty = Rien n'a encore été fait à la main sur cet événement.
d_activity_unknown = Compte supprimé
d_activity_answer_set = a saisi la réponse de { $subject }
d_activity_checked_in = a enregistré l'arrivée de { $subject }
d_activity_check_in_undone = a annulé l'arrivée de { $subject }
d_activity_walk_in = a ajouté { $subject } à l'accueil
d_activity_edited = a modifié l'événement
d_activity_published = a publié l'événement
d_activity_cancelled = a annulé l'événement
d_activity_guest_removed = a retiré { $subject } de la liste
d_activity_team_invited = a invité { $subject } dans l'équipe
d_activity_team_removed = a retiré { $subject } de l'équipe
d_door_list_link = Liste à imprimer
d_door_list_title = Liste d'accueil
d_door_list_print = Imprimer
d_door_list_intro = { $n } personnes attendues, accompagnants compris. Cochez à l'arrivée.
d_door_list_col_came = Arrivée
d_door_list_col_name = Nom
d_door_list_col_party = Pers.
d_door_list_col_note = Note
d_door_list_waiting = Liste d'attente
d_door_list_empty = Personne n'a encore répondu oui.
d_activity_erased_guest = une personne dont les données ont été effacées
# Réponses d'agenda à vérifier (les boutons Oui / Peut-être / Non des messageries)
d_replies_title = Réponses à vérifier
d_replies_intro = Ces réponses sont arrivées depuis l'agenda de vos invités (le bouton « Oui », « Peut-être » ou « Non » de leur messagerie), mais Convive ne les a pas appliquées seul : vérifiez chacune, puis appliquez-la ou écartez-la.
d_replies_none = Aucune réponse à vérifier pour le moment.
d_replies_from = Envoyée par
d_replies_attendee = Au nom de
d_replies_proposed = Horaire proposé
d_replies_comment = Message
d_replies_event = Voir l'événement
d_replies_apply = Appliquer cette réponse
d_replies_discard = Écarter
d_replies_applied = La réponse est appliquée.
d_replies_discarded = La réponse est écartée ; rien n'a changé.
d_replies_answer_yes = oui
d_replies_answer_no = non
d_replies_answer_maybe = peut-être
d_replies_reason_other_sender = Envoyée depuis une autre adresse que celle de la personne invitée.
d_replies_reason_someone_else = Quelqu'un d'autre souhaite venir : l'invitation lui a été transférée, et c'est lui ou elle qui répond.
d_replies_reason_unknown_guest = L'adresse de réponse ne correspond à aucune invitation : elle a peut-être été inventée.
d_replies_reason_counter = La personne invitée propose un autre horaire.
d_replies_reason_delegated = La personne invitée délègue sa place à quelqu'un d'autre.
d_replies_reason_too_late = Arrivée après la date limite de réponse.
d_replies_reason_full = L'événement est complet : il n'y avait plus de place pour ce « oui ».
d_replies_reason_other_event = Cette réponse concerne un autre événement que son invitation.
d_replies_reason_no_attendee = La réponse ne dit pas qui répond.
d_replies_invitation_of = Invitation transférée par

d_replies_auth = Vérification de l'expéditeur
d_replies_reason_auth_failed = Authentification échouée : rien ne prouve que cette réponse vient bien de l'adresse de la personne invitée (aucune signature DKIM valide de son domaine).
auth_no_signature = Aucune signature DKIM : rien ne prouve qui a envoyé ce message.
auth_signature_pass = Signature DKIM de { $domain } : valide.
auth_signature_unaligned = Signature DKIM de { $domain } : valide, mais ce n'est pas le domaine de l'expéditeur.
auth_signature_temperror = Signature DKIM de { $domain } : impossible à vérifier pour le moment (le DNS n'a pas répondu).
auth_signature_fail = Signature DKIM de { $domain } : invalide (le message a été modifié en route, ou la clé ne correspond pas).
auth_dmarc_pass = DMARC de { $domain } : réussi.
auth_dmarc_fail = DMARC de { $domain } : échec (ce domaine demande « { $policy } » pour de tels messages).
auth_dmarc_temperror = DMARC de { $domain } : impossible à vérifier pour le moment.
auth_dmarc_none = { $domain } ne publie pas de politique DMARC.
d_health_title = Santé de vos envois
d_health_link = Santé de vos envois (SPF, DKIM, DMARC)
d_health_intro = Gmail, Outlook et les autres messageries vérifient que les e-mails envoyés au nom de { $domain } viennent bien de vous. Voici ce que publie ce domaine dans le DNS, et ce qu'il faut y ajouter.
d_health_all_good = Tout est en place : les messageries peuvent vérifier vos e-mails.
d_health_to_fix = { $count ->
    [one] Un point à corriger : publiez l'enregistrement indiqué chez l'hébergeur de votre domaine.
   *[other] { $count } points à corriger : publiez les enregistrements indiqués chez l'hébergeur de votre domaine.
}
d_health_spf = SPF : les serveurs autorisés à envoyer
d_health_dkim = DKIM : la signature de vos e-mails
d_health_dmarc = DMARC : la consigne donnée aux messageries
d_health_status_ok = En place
d_health_status_missing = Absent
d_health_status_mismatch = Ne correspond pas à la clé de Convive
d_health_status_no_key = Convive ne signe pas encore ses e-mails
d_health_status_unreachable = Le DNS n'a pas répondu
d_health_found = Trouvé
d_health_publish = Enregistrement TXT à publier
d_health_name = Nom
d_health_value = Valeur
d_health_no_key_help = Créez une clé avec « convive dkim generate », réglez dkim_private_key et dkim_selector, puis publiez l'enregistrement que la commande affiche.
d_health_test = E-mail de test
d_health_test_help = Il part par la file d'envoi, signé comme vos invitations. Ouvrez-le, puis ses détails (« Afficher l'original » dans Gmail) : DKIM doit indiquer « PASS ».
d_health_send_test = M'envoyer un e-mail de test
d_health_test_sent = Un e-mail de test part vers { $email }.

# The question editor of the event form (and of a series' defaults).
d_fs_questions = Questions aux invités
d_h_questions = Au-delà de oui ou non : un régime alimentaire, une entreprise, l'envie d'intervenir. Vos invités y répondent sur leur page, avec leur réponse.
d_q_none = Aucune question pour l'instant : vos invités répondent seulement oui, non ou peut-être.
d_q_legend = Question { $n }
d_q_of = la question { $n }
d_q_kind = Type de réponse
d_q_kind_short_text = Réponse courte
d_q_kind_long_text = Texte libre
d_q_kind_one_choice = Un choix parmi plusieurs
d_q_kind_several_choices = Plusieurs choix possibles
d_q_kind_yes_no = Oui ou non
d_q_label_fr = Intitulé en français
d_q_label_en = Intitulé en anglais
d_h_q_labels = L'un des deux peut rester vide : vos invités liront alors l'autre.
d_q_required = Réponse obligatoire
d_h_q_required = Pour ceux qui viennent ou hésitent ; à qui répond non, rien de plus n'est demandé.
d_q_options_fr = Choix proposés en français
d_q_options_en = Choix proposés en anglais
d_h_q_options = Pour « Un choix parmi plusieurs » et « Plusieurs choix possibles » : un choix par ligne, deux au moins. Une liste laissée vide reprend l'autre, ligne à ligne.
d_q_add = Ajouter une question
d_q_up = Monter
d_q_down = Descendre
d_q_remove = Retirer
d_q_answered = { $n ->
        [one] 1 invité a déjà répondu à cette question.
       *[other] { $n } invités ont déjà répondu à cette question.
    } Si vous la retirez, ou retirez l'un de ses choix, les réponses déjà données n'apparaîtront plus dans les résultats ni dans l'export. Changer un intitulé garde les réponses.
d_err_question_label = Donnez un intitulé, en français ou en anglais.
d_err_question_option = Choix { $n } : { $problem }
# The event page: the questions the event asks.
d_event_questions = Questions posées aux invités
d_event_questions_none = Aucune question : vos invités répondent seulement oui, non ou peut-être.
d_event_questions_edit = Modifier les questions
d_q_is_required = obligatoire
d_q_is_optional = facultative
