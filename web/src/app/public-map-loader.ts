/**
 * The public map page's code. Logging out fetches it before leaving a staff page, so that the
 * public map is on screen before the session ends: were the page a lazily loaded chunk still on
 * its way, the staff page left showing would see no session and send the user to the login page.
 */
export const loadPublicMapPage = () => import('../public-map/PublicMapPage');
