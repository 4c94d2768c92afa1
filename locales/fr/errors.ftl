### What is wrong with a value, by the code the rules give it (see
### src/domain/problem.rs): `err_<code>`, with the code's parameters.
### Shown under a field or beside an imported row, so: short, and saying
### what to do.

err_required = Ce champ est obligatoire.
err_too_short = Trop court : { $min } caractères au minimum.
err_too_long = Trop long : { $max } caractères au maximum.
err_control_characters = Retirez les caractères invisibles (tabulations, sauts de ligne).
err_invalid_url = Indiquez une adresse web complète, commençant par https://
err_invalid_email = « { $value } » n'est pas une adresse e-mail valide.
err_undeliverable_email = Convive ne sait pas écrire à « { $value } » : vérifiez l'adresse.
err_invalid_language = Choisissez le français ou l'anglais.
err_capacity_range = Indiquez un nombre de places entre 1 et { $max }, ou rien pour ne pas limiter.
err_companions_range =
    { $max ->
        [0] Aucun accompagnant possible.
        [one] { $max } accompagnant au maximum.
       *[other] { $max } accompagnants au maximum.
    }
err_no_companions = Cet événement n'accepte pas d'accompagnants.
err_invalid_time_zone = « { $value } » n'est pas un fuseau horaire : choisissez-en un dans la liste.
err_invalid_datetime = Indiquez une date et une heure, par exemple 03/12/2026 08:30.
err_skipped_time = { $value } n'existe pas ({ $zone }) : c'est l'heure sautée au passage à l'heure d'été.
err_ends_before_start = La fin doit être après le début.
err_deadline_after_start = La date limite de réponse doit être avant le début.
err_invalid_duration = « { $value } » n'est pas un délai compris : écrivez par exemple P7D (7 jours) ou PT2H (2 heures).
err_too_many_nudges = { $max } relances au maximum.
err_already_invited = { $email } fait déjà partie des invités.
err_listed_earlier = Cette adresse figure déjà plus haut dans la liste (ligne { $line }).
err_already_member = { $email } fait déjà partie de la communauté.
err_retention_range = Une durée entre 1 et { $max } jours.
err_invalid_webhook_type = « { $value } » n'est pas un type d'événement que Convive envoie.
err_out_of_range = Un nombre entier entre { $min } et { $max }.
err_invalid_rule = Choisissez un rythme dans la liste.
err_invalid_date = Indiquez une date, par exemple 04/03/2026 ou 2026-03-04.
err_invalid_role = « { $value } » n'est pas un rôle : choisissez co-organisateur ou aide à l'accueil.
err_owner_in_team = Cette adresse est celle de la personne qui a créé l'événement : elle l'organise déjà.
err_too_many_questions = { $max } questions au maximum.
err_too_few_options = Proposez au moins { $min } choix, un par ligne.
err_too_many_options = { $max } choix au maximum.
err_duplicate_key = « { $value } » est donné deux fois : chaque question et chaque choix a sa propre clé.
err_invalid_key = « { $value } » ne convient pas comme clé : { $max } caractères au plus, en minuscules sans accents, chiffres, _ ou -.
err_invalid_question_kind = « { $value } » n'est pas un type de question : choisissez-en un dans la liste.
err_unknown_question = « { $value } » n'est pas une question de cet événement.
err_not_an_option = « { $value } » ne fait pas partie des choix proposés.
err_one_choice_only = Un seul choix possible.
err_yes_or_no = Répondez par oui ou par non.
err_invalid_answer = « { $value } » n'est pas une réponse : écrivez oui, non ou peut-être.
