/**
 * The public map page's code, loaded on demand. Shared by the router (its lazy page) and by
 * logging out, which must have the page on screen before the session ends: otherwise the staff
 * page still shown while the code arrives sees no session and sends the user to the login page.
 */
export const loadPublicMapPage = () => import('../public-map/PublicMapPage');
