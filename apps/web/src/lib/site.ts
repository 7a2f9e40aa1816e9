/** The site's name, as the layout's title shows it; emails sign with it. */
export const SITE_NAME = "Deep Learning for Coders";
