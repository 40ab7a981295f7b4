package auth

import (
	"net/http"
	"slices"
	"strings"
)

// Auth is the credential an OpenAPI is called with.
type Auth string

// The two credentials: a user's access_token (act.…) or the app's
// client_token (clt.…).
const (
	AuthUser   Auth = "access_token"
	AuthClient Auth = "client_token"
)

// Placement says where a value travels in a request.
type Placement string

// Where a token or a parameter goes. A token in the header travels as
// "access-token: …", elsewhere as the field access_token.
const (
	InHeader Placement = "header"
	InQuery  Placement = "query"
	InBody   Placement = "body"
)

// BodyKind is how a POST carries its body parameters.
type BodyKind string

// The body kinds of the catalogue's APIs.
const (
	BodyNone BodyKind = ""
	BodyForm BodyKind = "form"
	BodyJSON BodyKind = "json"
)

// ParamType is how a parameter's text is sent in a JSON body.
type ParamType string

// Parameter types: a string, an integer, or a comma-separated list sent as
// a JSON array of strings.
const (
	TypeString ParamType = "string"
	TypeInt    ParamType = "int"
	TypeList   ParamType = "list"
)

// Param is one parameter of an OpenAPI that the caller supplies. open_id
// and the token are not among them: Flow.Call fills them in.
type Param struct {
	Name     string
	In       Placement // InQuery or InBody
	Type     ParamType
	Required bool
	// Default is sent when the caller gives no value; "" sends nothing.
	Default string
	// Values are the accepted values when the docs list them.
	Values []string
	// DescEN and DescZH say what the parameter is.
	DescEN, DescZH string
}

// Description returns what the parameter is, in lang.
func (p Param) Description(lang string) string {
	if IsChinese(lang) {
		return p.DescZH
	}
	return p.DescEN
}

// API is one entry of the catalogue: an OpenAPI that user tokens or client
// tokens serve, as its official page documents it.
type API struct {
	Name             string // the catalogue's key, e.g. "video-list"
	TitleEN, TitleZH string
	Method           string // http.MethodGet or http.MethodPost
	Path             string
	Auth             Auth
	TokenIn          Placement
	// OpenIDIn is where open_id goes; "" for an API that takes none.
	OpenIDIn Placement
	Body     BodyKind // how body parameters travel, for a POST
	Params   []Param
	// Scope is what the user must have granted (AuthUser) or the app must
	// hold (AuthClient).
	Scope string
	// Pages: the API takes cursor and answers cursor and has_more.
	Pages bool
	Doc   string // the official page
}

// Title returns the API's name for a person, in lang.
func (a API) Title(lang string) string {
	if IsChinese(lang) {
		return a.TitleZH
	}
	return a.TitleEN
}

// Param returns the parameter named name.
func (a API) Param(name string) (Param, bool) {
	i := slices.IndexFunc(a.Params, func(p Param) bool { return p.Name == name })
	if i < 0 {
		return Param{}, false
	}
	return a.Params[i], true
}

// The parameters of the APIs that page.
const (
	ParamCursor = "cursor"
	ParamCount  = "count"
)

// Catalogue paths.
const (
	PathVideoList     = "/api/douyin/v1/video/video_list/"
	PathVideoData     = "/api/douyin/v1/video/video_data/"
	PathFansList      = "/fans/list/"
	PathFollowingList = "/following/list/"
	PathUserFans      = "/data/external/user/fans/"
	PathHotVideos     = "/data/extern/billboard/hot_video/"
)

const docBase = "https://developer.open-douyin.com/docs/resource/zh-CN/dop/develop/openapi/"

// pagingParams are the cursor and count of a paged list; count is required
// by the docs, so a default is sent.
func pagingParams(defaultCount string) []Param {
	return []Param{
		{Name: ParamCursor, In: InQuery, Type: TypeInt, Default: "0",
			DescEN: "page cursor: 0 for the first page, then the cursor of the previous answer",
			DescZH: "分页游标：第一页为 0，之后用上一页响应中的 cursor"},
		{Name: ParamCount, In: InQuery, Type: TypeInt, Required: true, Default: defaultCount,
			DescEN: "items per page", DescZH: "每页数量"},
	}
}

// catalog lists the APIs in the order a person meets them, each with what
// its official page documents.
var catalog = []API{
	// POST /oauth/userinfo/: form body access_token and open_id
	// (douyin-openapi.md §6; the header table says JSON, the example a form).
	{Name: "userinfo", TitleEN: "The user's public profile", TitleZH: "获取用户公开信息",
		Method: http.MethodPost, Path: PathUserInfo, Auth: AuthUser, TokenIn: InBody, OpenIDIn: InBody,
		Body: BodyForm, Scope: "user_info",
		Doc: docBase + "account-management/get-account-open-info"},
	// GET, query open_id, cursor (i64, optional), count (≤ 20, required);
	// header access-token; answers data.list, cursor, has_more. This is
	// the current path; older docs give GET /video/list/ with access_token
	// in the query string.
	{Name: "video-list", TitleEN: "The user's videos", TitleZH: "查询授权账号视频列表",
		Method: http.MethodGet, Path: PathVideoList, Auth: AuthUser, TokenIn: InHeader, OpenIDIn: InQuery,
		Params: pagingParams("10"), Scope: "video.list.bind", Pages: true,
		Doc: docBase + "video-management/douyin/search-video/account-video-list"},
	// POST, query open_id, JSON body {"item_ids":[…]}; header access-token;
	// answers data.list with each video's statistics.
	{Name: "video-data", TitleEN: "Data of given videos", TitleZH: "查询特定视频的视频数据",
		Method: http.MethodPost, Path: PathVideoData, Auth: AuthUser, TokenIn: InHeader, OpenIDIn: InQuery,
		Body: BodyJSON, Scope: "video.data.bind",
		Params: []Param{{Name: "item_ids", In: InBody, Type: TypeList, Required: true,
			DescEN: "comma-separated item_id values from video-list", DescZH: "逗号分隔的视频 item_id（取自 video-list）"}},
		Doc: docBase + "video-management/douyin/search-video/video-data"},
	// GET, query open_id (required), cursor (i64), count (i32, required);
	// header access-token; answers data.list, total, cursor, has_more; at
	// most 5,000 fans. The current page names no scope; the older page
	// (open.douyin.com/platform/resource/docs/openapi/account-management/
	// get-fans-list) gives fans.list, which is checked here.
	{Name: "fans-list", TitleEN: "The user's fans", TitleZH: "获取粉丝列表",
		Method: http.MethodGet, Path: PathFansList, Auth: AuthUser, TokenIn: InHeader, OpenIDIn: InQuery,
		Params: pagingParams("10"), Scope: "fans.list", Pages: true,
		Doc: docBase + "account-management/user-data/get-fans-list"},
	// GET, the same parameters and answer as the fans list.
	{Name: "following-list", TitleEN: "Accounts the user follows", TitleZH: "获取用户的关注列表",
		Method: http.MethodGet, Path: PathFollowingList, Auth: AuthUser, TokenIn: InHeader, OpenIDIn: InQuery,
		Params: pagingParams("10"), Scope: "following.list", Pages: true,
		Doc: docBase + "account-management/user-data/get-user-follow-list"},
	// GET, query open_id and date_type 7, 15 or 30 (days); header
	// access-token; answers data.result_list of {date, new_fans,
	// total_fans} by day. Pages of this family sit under
	// data-open-service/user-data/ in the current docs and under
	// account-management/user-data/ in older ones.
	{Name: "user-fans", TitleEN: "The user's fans by day", TitleZH: "获取用户粉丝数",
		Method: http.MethodGet, Path: PathUserFans, Auth: AuthUser, TokenIn: InHeader, OpenIDIn: InQuery,
		Scope: "data.external.user",
		Params: []Param{{Name: "date_type", In: InQuery, Type: TypeInt, Required: true, Default: "7",
			Values: []string{"7", "15", "30"}, DescEN: "the last 7, 15 or 30 days", DescZH: "近 7/15/30 天"}},
		Doc: docBase + "data-open-service/user-data/get-user-fans-count"},
	// GET, no parameters; header access-token with a client_token ("此
	// token 不需要用户授权"); answers data.list of the day's hot videos.
	{Name: "hot-videos", TitleEN: "Hot videos billboard", TitleZH: "热门视频榜",
		Method: http.MethodGet, Path: PathHotVideos, Auth: AuthClient, TokenIn: InHeader,
		Scope: "data.external.billboard_hot_video",
		Doc:   "https://open.douyin.com/platform/resource/docs/openapi/data-open-service/tops-data/hot-video-list/hot-video-list"},
}

// Catalog returns the OpenAPIs the app can try, user-token ones first.
func Catalog() []API {
	out := slices.Clone(catalog)
	for i := range out {
		out[i].Params = slices.Clone(out[i].Params)
		for j := range out[i].Params {
			out[i].Params[j].Values = slices.Clone(out[i].Params[j].Values)
		}
	}
	return out
}

// FindAPI returns the catalogue's API named name, ignoring letter case.
func FindAPI(name string) (API, bool) {
	for _, a := range Catalog() {
		if strings.EqualFold(a.Name, name) {
			return a, true
		}
	}
	return API{}, false
}
