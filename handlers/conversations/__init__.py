"""Messages between relatives and the home: the relative's side, the team's side, the team's
group, and the home's settings for it."""
