"""Please call us: /callus for the home's admins and approvers (:mod:`.staff`), the emergency
contacts' answers (:mod:`.relatives`), and the emergency contact buttons on a resident's card
(:mod:`.contacts`). The handlers are assembled in :mod:`.presses`."""
